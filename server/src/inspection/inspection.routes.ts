import {
  DrawReplayView,
  DrawRequestBody,
  EntityId,
  InspectionDrawView,
  InspectionFindingBody,
  InspectionTaskQuery,
  InspectionTaskView,
  type PoolTarget,
} from '@liangzheng/domain';
import type { Prisma } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { userOf } from '../identity/identity.ts';
import { drawScope } from './inspection-pools.ts';
import {
  type InspectionDeps,
  loadDraw,
  maySeeDraw,
  recordFinding,
  replayDraw,
  runDraw,
  taskViews,
} from './inspection-service.ts';

const IdParam = z.strictObject({ id: EntityId });

/** 双随机 cross-inspection: seeded draws over logged pools, the tasks they make and what the inspectors found. */
export const inspectionRoutes =
  (deps: InspectionDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['inspections'];
    const regulators = app.requireRole(['regulator']);

    async function visibleDraw(request: Parameters<typeof userOf>[0], id: string) {
      const row = await deps.db.inspectionDraw.findUnique({ where: { id } });
      if (!row || !maySeeDraw(userOf(request), JSON.parse(row.targetPool) as PoolTarget[]))
        throw new ApiProblem('NOT_FOUND', `draw ${id} not found`);
      return row;
    }

    app.post(
      '/inspection-draws',
      {
        schema: {
          tags,
          summary:
            'Draw inspectors and targets over the province: no inspector in their own region; seed and pools logged',
          body: DrawRequestBody,
          response: { 201: InspectionDrawView, ...errorResponses(400, 401, 403, 409) },
        },
        preParsing: regulators,
      },
      async (request, reply) => {
        const draw = await runDraw(deps, userOf(request), request.body);
        return reply.code(201).send(draw);
      },
    );

    app.get(
      '/inspection-draws',
      {
        schema: {
          tags,
          summary: 'The latest draws over the caller’s province, newest first',
          response: { 200: z.array(InspectionDrawView.omit({ tasks: true })), ...errorResponses(401, 403) },
        },
        preParsing: regulators,
      },
      async (request) => {
        const principal = userOf(request);
        const rows = await deps.db.inspectionDraw.findMany({ orderBy: { at: 'desc' }, take: 50 });
        return rows
          .filter((row) => maySeeDraw(principal, JSON.parse(row.targetPool) as PoolTarget[]))
          .map((row) => ({
            id: row.id,
            seed: row.seed,
            params: JSON.parse(row.params),
            inspectorPool: JSON.parse(row.inspectorPool),
            targetPool: JSON.parse(row.targetPool),
            actor: row.actor,
            at: row.at.toISOString(),
          }));
      },
    );

    app.get(
      '/inspection-draws/:id',
      {
        schema: {
          tags,
          params: IdParam,
          response: { 200: InspectionDrawView, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: regulators,
      },
      async (request) => {
        await visibleDraw(request, request.params.id);
        return (await loadDraw(deps.db, request.params.id)) as InspectionDrawView;
      },
    );

    app.post(
      '/inspection-draws/:id/replay',
      {
        schema: {
          tags,
          summary: 'Re-run a logged draw from its seed and pools and compare with the tasks it made',
          params: IdParam,
          response: { 200: DrawReplayView, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: regulators,
      },
      async (request) => replayDraw(await visibleDraw(request, request.params.id)),
    );

    app.get(
      '/inspection-tasks',
      {
        schema: {
          tags,
          summary: 'Tasks in the caller’s province (mine=true: those drawn for the caller)',
          querystring: InspectionTaskQuery,
          response: { 200: z.array(InspectionTaskView), ...errorResponses(400, 401, 403) },
        },
        preParsing: regulators,
      },
      async (request) => {
        const principal = userOf(request);
        const q = request.query;
        const where: Prisma.InspectionTaskWhereInput = {
          regionCode: { startsWith: drawScope(principal) },
          ...(q.mine === 'true' ? { inspectorId: principal.userId } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.drawId ? { drawId: q.drawId } : {}),
        };
        const rows = await deps.db.inspectionTask.findMany({
          where,
          include: { findings: { orderBy: { at: 'asc' } } },
          orderBy: [{ drawId: 'desc' }, { id: 'asc' }],
          take: 500,
        });
        return taskViews(deps.db, rows);
      },
    );

    app.post(
      '/inspection-tasks/:id/findings',
      {
        schema: {
          tags,
          summary: 'What the task’s inspector found; openViolation opens a violation on a lot there',
          params: IdParam,
          body: InspectionFindingBody,
          response: { 201: InspectionTaskView, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: regulators,
      },
      async (request, reply) => {
        const task = await recordFinding(deps, userOf(request), request.params.id, request.body);
        return reply.code(201).send(task);
      },
    );
  };
