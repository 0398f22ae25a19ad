import {
  deadlineDays,
  EntityId,
  roles,
  ViolationAssign,
  ViolationBulk,
  ViolationBulkResult,
  ViolationDetail,
  ViolationDispositionBody,
  ViolationDispositionView,
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
import type { Db } from '../storage/db.ts';
import { recordDisposition, toDispositionView } from './disposition-service.ts';
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

/** Past their deadline (violation-deadline.ts): opened longer ago than their status allows. */
function overdueWhere(now: Date): Prisma.ViolationWhereInput {
  const dayMs = 24 * 60 * 60 * 1000;
  return {
    OR: Object.entries(deadlineDays)
      .filter((entry): entry is [string, number] => entry[1] !== null)
      .map(([status, days]) => ({ status, createdAt: { lt: new Date(now.getTime() - days * dayMs) } })),
  };
}

/** The most recent violations on lots that carried (or scans that read) one of the producer's certificates. */
async function producerViolationIds(db: Db, issuerId: number): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT v.id AS id FROM "Violation" v
      JOIN "LotDocument" d ON d."lotId" = v."lotId" JOIN "Certificate" c ON c.id = d."certificateId"
      WHERE c."issuerId" = ${Math.trunc(issuerId)}
     UNION
     SELECT v.id AS id FROM "Violation" v
      JOIN "Scan" s ON s.id = v."scanId" JOIN "Certificate" c ON c.id = s."certificateId"
      WHERE c."issuerId" = ${Math.trunc(issuerId)}
     LIMIT 5000`,
  );
  return rows.map((r) => r.id);
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
        const now = deps.clock.now();
        const producer = q.issuerId ? { id: { in: await producerViolationIds(deps.db, q.issuerId) } } : {};
        const rows = await deps.db.violation.findMany({
          where: {
            AND: [
              where,
              q.status ? { status: q.status } : {},
              q.marketId ? { marketId: q.marketId } : {},
              q.regionPrefix ? { regionCode: { startsWith: q.regionPrefix } } : {},
              q.assignedToMe === 'true' ? { assigneeId: me } : {},
              q.stallId ? { lot: { stallId: q.stallId } } : {},
              q.reason ? { reason: q.reason } : {},
              q.from ? { createdAt: { gte: new Date(q.from) } } : {},
              q.to ? { createdAt: { lt: new Date(q.to) } } : {},
              q.overdue === 'true' ? overdueWhere(now) : {},
              producer,
              pageAfter(q.before, q.beforeId),
            ],
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: q.limit,
          include: violationContext,
        });
        return rows.map((row) => toView(row, now));
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
        const [events, scan, dispositions] = await Promise.all([
          deps.db.violationEvent.findMany({ where: { violationId: row.id }, orderBy: { id: 'asc' } }),
          row.scanId ? deps.db.scan.findUnique({ where: { id: row.scanId } }) : null,
          deps.db.violationDisposition.findMany({ where: { violationId: row.id }, orderBy: { at: 'asc' } }),
        ]);
        const actorIds = [...new Set(events.flatMap((e) => (e.actorId === null ? [] : [e.actorId])))];
        const actors = await deps.db.user.findMany({
          where: { id: { in: actorIds } },
          select: { id: true, displayName: true },
        });
        const nameOf = (id: number | null) => actors.find((a) => a.id === id)?.displayName ?? null;
        return {
          ...toView(row, deps.clock.now()),
          dispositions: dispositions.map(toDispositionView),
          events: events.map((e) => ({
            ...e,
            actorName: nameOf(e.actorId),
            evidence: parseJson(e.evidence),
            at: e.at.toISOString(),
          })),
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

    app.post(
      '/violations/bulk',
      {
        schema: {
          tags,
          summary: 'Move many violations at once (status or assignee); each is moved or refused on its own',
          body: ViolationBulk,
          response: { 200: ViolationBulkResult, ...errorResponses(400, 401, 403) },
        },
        preParsing: staff,
      },
      async (request) => {
        const body = request.body;
        const moved: string[] = [];
        const refused: { id: string; code: string; message: string }[] = [];
        for (const id of new Set(body.ids)) {
          const done = body.to
            ? await transition(deps, request.principal, id, body.to, body.note)
            : await assign(deps, request.principal, id, body.assigneeId as number);
          if (done.ok) moved.push(id);
          else {
            const error = done.error;
            const message =
              error.code === 'VIOLATION_TRANSITION_INVALID'
                ? `a violation cannot move from ${error.from} to ${error.to}`
                : error.message;
            refused.push({ id, code: error.code, message });
          }
        }
        return { moved, refused };
      },
    );

    app.post(
      '/violations/:id/dispositions',
      {
        schema: {
          tags,
          summary: '不合格处置 (held, returned, destroyed under supervision) or a penalty decided',
          params: IdParam,
          body: ViolationDispositionBody,
          response: { 201: ViolationDispositionView, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: staff,
      },
      async (request, reply) => {
        const done = await recordDisposition(deps, request.principal, request.params.id, request.body);
        if (!done.ok) throw new ApiProblem(done.error.code, done.error.message);
        return reply.code(201).send(done.value);
      },
    );
  };
