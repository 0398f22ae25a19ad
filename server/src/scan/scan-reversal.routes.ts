import { EntityId, ScanReversal, ScanReversalRequest } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf, userOf } from '../identity/identity.ts';
import type { LotClosingDeps } from '../lot/lot-closing.ts';
import { reverseScan } from './scan-reversal.ts';

const ScanParam = z.strictObject({ id: EntityId });

/** `POST /scans/:id/reversal`: gate staff and market admins undo the last scan of a lot at their market. */
export const scanReversalRoutes =
  (deps: LotClosingDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/scans/:id/reversal',
      {
        schema: {
          tags: ['scans'],
          summary:
            'Undo the last scan of a lot at your market, within scanUndoMinutes: a recorded reversal, never a delete. ' +
            'The lot is judged again on the codes that remain and the ledger gets back what the lot no longer claims.',
          params: ScanParam,
          body: ScanReversalRequest,
          response: { 201: ScanReversal, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: app.requireRole(['gate_staff', 'market_admin']),
      },
      async (request, reply) => {
        const user = userOf(request);
        const scope = user.scope;
        // Staff act at their own market; the platform admin anywhere; any other scope finds no scan.
        const marketId = scope.kind === 'all' ? undefined : scope.kind === 'market' ? scope.marketId : -1;
        const result = await reverseScan(deps, request.params.id, request.body, {
          username: user.username,
          actor: actorOf(user),
          marketId,
        });
        if (!result.ok) throw new ApiProblem(result.error.code, result.error.message);
        return reply.code(201).send(result.reversal);
      },
    );
  };
