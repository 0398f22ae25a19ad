import {
  EntityId,
  roles,
  ViolationAssign,
  ViolationDetail,
  ViolationErrorBody,
  ViolationEvidence,
  ViolationNote,
  ViolationQuery,
  ViolationTransition,
  ViolationView,
} from '@liangzheng/domain';
import type { Prisma } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import type { Done, ViolationDeps, ViolationError } from './violation-service.ts';
import {
  addEvidence,
  addNote,
  assign,
  findVisible,
  toView,
  transition,
  violationContext,
  visibleWhere,
} from './violation-service.ts';

const IdParam = z.strictObject({ id: EntityId });

function problemOf(error: Exclude<ViolationError, { code: 'VIOLATION_TRANSITION_INVALID' }>): ApiProblem {
  if (error.code === 'CHANGED_CONCURRENTLY') return new ApiProblem('CHANGED_CONCURRENTLY', error.message);
  return new ApiProblem(error.code, error.message);
}

/** The violations after a page's last one, newest first: older, or as old with a smaller id. */
function pageAfter(before: string | undefined, beforeId: string | undefined): Prisma.ViolationWhereInput {
  if (before === undefined) return {};
  const at = new Date(before);
  if (beforeId === undefined) return { createdAt: { lt: at } };
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: beforeId } }] };
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
};

export const violationRoutes =
  (deps: ViolationDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const staff = app.requireRole(roles);
    const tags = ['violations'];
    const changed = { 200: ViolationView, 409: ViolationErrorBody.or(errorResponses(409)[409]) };

    app.get(
      '/violations',
      {
        schema: {
          tags,
          querystring: ViolationQuery,
          response: { 200: z.array(ViolationView), ...errorResponses(400, 401, 403) },
        },
        preParsing: staff,
      },
      async (request) => {
        const where = visibleWhere(request.principal);
        if (!where) throw new ApiProblem('FORBIDDEN', 'your role has no violation queue');
        const q = request.query;
        const me = request.principal.kind === 'user' ? request.principal.userId : -1;
        const rows = await deps.db.violation.findMany({
          where: {
            AND: [
              where,
              q.status ? { status: q.status } : {},
              q.marketId ? { marketId: q.marketId } : {},
              q.regionPrefix ? { regionCode: { startsWith: q.regionPrefix } } : {},
              q.assignedToMe === 'true' ? { assigneeId: me } : {},
              pageAfter(q.before, q.beforeId),
            ],
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: q.limit,
          include: violationContext,
        });
        return rows.map(toView);
      },
    );

    app.get(
      '/violations/:id',
      {
        schema: {
          tags,
          params: IdParam,
          response: { 200: ViolationDetail, ...errorResponses(401, 403, 404) },
        },
        preParsing: staff,
      },
      async (request) => {
        const row = await findVisible(deps, request.principal, request.params.id);
        if (!row) throw new ApiProblem('NOT_FOUND', `violation ${request.params.id} not found`);
        const [events, scan] = await Promise.all([
          deps.db.violationEvent.findMany({ where: { violationId: row.id }, orderBy: { id: 'asc' } }),
          row.scanId ? deps.db.scan.findUnique({ where: { id: row.scanId } }) : null,
        ]);
        return {
          ...toView(row),
          events: events.map((e) => ({ ...e, evidence: parseJson(e.evidence), at: e.at.toISOString() })),
          scan: scan
            ? {
                source: scan.source,
                rawText: scan.rawText,
                symbology: scan.symbology,
                keystrokeTimings: scan.keystrokeTimings
                  ? (parseJson(scan.keystrokeTimings) as number[])
                  : null,
                deviceTime: scan.deviceTime?.toISOString() ?? null,
                receivedAt: scan.receivedAt.toISOString(),
                codeKind: scan.codeKind,
                certificateId: scan.certificateId,
                provisionalOutcome: scan.provisionalOutcome,
                conflict: scan.conflict,
              }
            : null,
        };
      },
    );

    async function answer(result: Done<ViolationView>, reply: import('fastify').FastifyReply) {
      if (result.ok) return result.value;
      const error = result.error;
      if (error.code === 'VIOLATION_TRANSITION_INVALID') {
        const message = `a violation cannot move from ${error.from} to ${error.to}`;
        return reply.code(409).send({ error: { ...error, message } });
      }
      throw problemOf(error);
    }

    app.post(
      '/violations/:id/transition',
      {
        schema: {
          tags,
          summary: 'open → reviewing → confirmed | dismissed; confirmed → rectified',
          params: IdParam,
          body: ViolationTransition,
          response: { ...errorResponses(400, 401, 403, 404), ...changed },
        },
        preParsing: staff,
      },
      async (request, reply) =>
        answer(
          await transition(deps, request.principal, request.params.id, request.body.to, request.body.note),
          reply,
        ),
    );

    app.post(
      '/violations/:id/assign',
      {
        schema: {
          tags,
          params: IdParam,
          body: ViolationAssign,
          response: { ...errorResponses(400, 401, 403, 404), ...changed },
        },
        preParsing: staff,
      },
      async (request, reply) =>
        answer(await assign(deps, request.principal, request.params.id, request.body.assigneeId), reply),
    );

    app.post(
      '/violations/:id/notes',
      {
        schema: {
          tags,
          params: IdParam,
          body: ViolationNote,
          response: { ...errorResponses(400, 401, 403, 404), ...changed },
        },
        preParsing: staff,
      },
      async (request, reply) =>
        answer(await addNote(deps, request.principal, request.params.id, request.body.note), reply),
    );

    app.post(
      '/violations/:id/evidence',
      {
        schema: {
          tags,
          params: IdParam,
          body: ViolationEvidence,
          response: { ...errorResponses(400, 401, 403, 404, 413), ...changed },
        },
        preParsing: staff,
      },
      async (request, reply) =>
        answer(await addEvidence(deps, request.principal, request.params.id, request.body), reply),
    );
  };
