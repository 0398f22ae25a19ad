import { CreditGradeView, CreditHistory, CreditOverride, type Principal } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { subscribeCreditRecomputation } from './credit-events.ts';
import { type CreditDeps, creditHistory, overrideCredit, recomputeCredit } from './credit-service.ts';

const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });

/** A producer's grade history: the producer itself, the regulators of its region and admins. */
function maySeeIssuer(principal: Principal, issuer: { id: number; regionCode: string }): boolean {
  if (principal.kind !== 'user') return false;
  const scope = principal.scope;
  if (scope.kind === 'all') return true;
  if (scope.kind === 'issuer') return scope.issuerId === issuer.id;
  return scope.kind === 'region' && issuer.regionCode.startsWith(scope.prefix);
}

/** Credit grades (docs/credit.md): computed from the record on every relevant event, kept as a history. */
export const creditRoutes =
  (deps: CreditDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['credit'];
    subscribeCreditRecomputation(app, deps);

    app.get(
      '/issuers/:id/credit',
      {
        schema: {
          tags,
          summary: "A producer's credit grade and its history, newest first, with the points each rule gave",
          params: IdParam,
          response: { 200: CreditHistory, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: app.requireRole(['producer', 'regulator']),
      },
      async (request) => {
        const issuer = await deps.db.issuer.findUnique({ where: { id: request.params.id } });
        if (!issuer || !maySeeIssuer(request.principal, issuer))
          throw new ApiProblem('NOT_FOUND', `issuer ${request.params.id} not found`);
        return creditHistory(deps.db, issuer.id);
      },
    );

    app.post(
      '/issuers/:id/credit/override',
      {
        schema: {
          tags,
          summary: 'An administrator sets the grade by hand, with a reason; audited, and kept in the history',
          params: IdParam,
          body: CreditOverride,
          response: { 201: CreditGradeView, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: app.requireRole([]),
      },
      async (request, reply) => {
        const done = await overrideCredit(deps, request.params.id, request.body, actorOf(request.principal));
        if (!done.ok) throw new ApiProblem(done.error.code, done.error.message);
        return reply.code(201).send(done.value);
      },
    );

    app.post(
      '/credit/recompute',
      {
        schema: {
          tags,
          summary:
            'Recompute every active producer’s grade now (ageing moves grades even without new events)',
          response: {
            200: z.object({ recomputed: z.number(), changed: z.number() }),
            ...errorResponses(401, 403),
          },
        },
        preParsing: app.requireRole([]),
      },
      async (request) => {
        const issuers = await deps.db.issuer.findMany({ where: { active: true }, select: { id: true } });
        const done = await recomputeCredit(
          deps,
          issuers.map((i) => i.id),
          'batch',
          actorOf(request.principal),
        );
        return { recomputed: done.recomputed, changed: done.changed.length };
      },
    );
  };
