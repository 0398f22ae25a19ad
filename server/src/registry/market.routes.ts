import {
  canSeeMarket,
  canSeeStall,
  Gate,
  GateCreate,
  GateUpdate,
  Market,
  MarketCreate,
  type MarketRef,
  MarketUpdate,
  Region,
  RegionCreate,
  RegionParams,
  RegionUpdate,
  roles,
  Stall,
  StallCreate,
  StallUpdate,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import type { Tx } from '../storage/db.ts';
import { addEntityRoutes } from './entity-routes.ts';
import type { RegistryRepository } from './registry.repository.ts';
import { manageable } from './registry-scope.ts';

type MarketRow = MarketRef & { name: string; kind: string; openLotLimitMinutes: number; active: boolean };
const toMarket = (m: MarketRow) => Market.parse(m);
const MarketFilter = z.strictObject({ marketId: z.coerce.number().int().positive().optional() });

/**
 * A new market's region must be active. The conditional write takes the region's row lock on PostgreSQL, so a
 * deactivation (which writes the row first, then counts its active markets) and a market creation are serial.
 */
async function claimActiveRegion(tx: Tx, regionCode: string): Promise<void> {
  const { count } = await tx.region.updateMany({
    where: { code: regionCode, active: true },
    data: { active: true },
  });
  if (count === 0)
    throw new ApiProblem('INACTIVE', `行政区 ${regionCode} 已停用 / region ${regionCode} is deactivated`);
}

/** Deactivates a region unless one of its markets is still active (REGION_IN_USE). */
async function deactivateRegion(tx: Tx, code: string) {
  const region = await tx.region.update({ where: { code }, data: { active: false } });
  const markets = await tx.market.count({ where: { regionCode: code, active: true } });
  if (markets > 0)
    throw new ApiProblem(
      'REGION_IN_USE',
      `行政区 ${code} 还有 ${markets} 个在用市场 / region ${code} still has ${markets} active market(s)`,
    );
  return region;
}

export const marketRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const anyUser = app.requireRole(roles);
    const adminOnly = app.requireRole([]);
    const tags = ['registry'];

    app.get(
      '/regions',
      { schema: { tags, response: { 200: z.array(Region), ...errorResponses(401) } }, preParsing: anyUser },
      async () => (await repo.regions.list()).map((r) => Region.parse(r)),
    );
    app.post(
      '/regions',
      {
        schema: {
          tags,
          body: RegionCreate,
          response: { 201: Region, ...errorResponses(400, 401, 403, 409) },
        },
        preParsing: adminOnly,
      },
      async (request, reply) => {
        const body = request.body;
        if (body.parentCode && !(await repo.regions.find(body.parentCode))) {
          throw new ApiProblem('INVALID_REFERENCE', 'parent region does not exist');
        }
        const region = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'region',
          data: body,
          run: (tx) => tx.region.create({ data: body }),
          idOf: (r) => r.code,
        });
        return reply.code(201).send(Region.parse(region));
      },
    );
    app.patch(
      '/regions/:code',
      {
        schema: {
          tags,
          params: RegionParams,
          body: RegionUpdate,
          response: { 200: Region, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: adminOnly,
      },
      async (request) => {
        const region = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity: 'region',
          data: request.body,
          run: (tx) => tx.region.update({ where: { code: request.params.code }, data: request.body }),
          idOf: (r) => r.code,
        });
        return Region.parse(region);
      },
    );
    app.post(
      '/regions/:code/deactivate',
      {
        schema: {
          tags,
          description: 'Deactivates a region; refused REGION_IN_USE while one of its markets is active.',
          params: RegionParams,
          response: { 200: Region, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: adminOnly,
      },
      async (request) => {
        const { code } = request.params;
        if (!(await repo.regions.find(code))) throw new ApiProblem('NOT_FOUND', 'region not found');
        const region = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'region',
          run: (tx) => deactivateRegion(tx, code),
          idOf: (r) => r.code,
        });
        return Region.parse(region);
      },
    );

    addEntityRoutes(app, repo, {
      path: '/markets',
      entity: 'market',
      view: Market,
      toView: toMarket,
      list: {
        roles,
        errors: [401],
        rows: async (principal) => (await repo.markets.list()).filter((m) => canSeeMarket(principal, m)),
      },
      read: {
        roles,
        errors: [401, 404],
        async row(principal, id) {
          const market = await repo.markets.find(id);
          if (!market || !canSeeMarket(principal, market))
            throw new ApiProblem('NOT_FOUND', 'market not found');
          return market;
        },
      },
      create: {
        roles: [],
        body: MarketCreate,
        errors: [400, 401, 403, 409],
        async accept(_principal, body) {
          if (!(await repo.regions.find(body.regionCode))) {
            throw new ApiProblem('INVALID_REFERENCE', 'region does not exist');
          }
          return body;
        },
        async run(tx, body) {
          await claimActiveRegion(tx, body.regionCode);
          return tx.market.create({ data: body });
        },
      },
      update: {
        roles: ['market_admin'],
        body: MarketUpdate,
        errors: [400, 401, 403, 404],
        async accept(principal, id, body) {
          manageable(principal, await repo.markets.find(id), 'market');
          return body;
        },
        run: (tx, id, body) => tx.market.update({ where: { id }, data: body }),
      },
      deactivate: {
        roles: [],
        errors: [401, 403, 404],
        run: (tx, id) => tx.market.update({ where: { id }, data: { active: false } }),
      },
    });

    addEntityRoutes(app, repo, {
      path: '/gates',
      entity: 'gate',
      view: Gate,
      toView: (g) => Gate.parse(g),
      list: {
        roles: ['market_admin', 'gate_staff', 'regulator'],
        errors: [401, 404],
        querystring: MarketFilter,
        async rows(principal, query) {
          const markets = (await repo.markets.list()).filter((m) => canSeeMarket(principal, m));
          const ids = markets
            .map((m) => m.id)
            .filter((id) => query.marketId === undefined || id === query.marketId);
          return repo.gates.list(ids);
        },
      },
      create: {
        roles: ['market_admin'],
        body: GateCreate,
        errors: [400, 401, 403, 404],
        accept: async (_principal, body) => body,
        run: (tx, body) => tx.gate.create({ data: body }),
      },
      update: {
        roles: ['market_admin'],
        body: GateUpdate,
        errors: [400, 401, 403, 404],
        async accept(principal, id, body) {
          manageable(principal, (await repo.gates.find(id))?.market, 'gate');
          return body;
        },
        run: (tx, id, body) => tx.gate.update({ where: { id }, data: body }),
      },
      deactivate: {
        roles: ['market_admin'],
        errors: [401, 403, 404],
        async accept(principal, id) {
          manageable(principal, (await repo.gates.find(id))?.market, 'gate');
        },
        run: (tx, id) => tx.gate.update({ where: { id }, data: { active: false } }),
        // a deactivated gate's devices are refused from the next request on
        after: () => app.deviceAuth.forget(),
      },
    });

    addEntityRoutes(app, repo, {
      path: '/stalls',
      entity: 'stall',
      view: Stall,
      toView: (s) => Stall.parse(s),
      list: {
        roles: ['market_admin', 'gate_staff', 'vendor', 'regulator'],
        errors: [401],
        querystring: MarketFilter,
        async rows(principal, query) {
          const markets = new Map((await repo.markets.list()).map((m) => [m.id, m]));
          const ids = [...markets.keys()].filter(
            (id) => query.marketId === undefined || id === query.marketId,
          );
          return (await repo.stalls.list(ids)).filter((s) =>
            canSeeStall(principal, { id: s.id, market: markets.get(s.marketId)! }),
          );
        },
      },
      create: {
        roles: ['market_admin'],
        body: StallCreate,
        errors: [400, 401, 403, 404, 409],
        accept: async (_principal, body) => body,
        run: (tx, body) => tx.stall.create({ data: body }),
      },
      update: {
        roles: ['market_admin'],
        body: StallUpdate,
        errors: [400, 401, 403, 404],
        async accept(principal, id, body) {
          manageable(principal, (await repo.stalls.find(id))?.market, 'stall');
          return body;
        },
        run: (tx, id, body) => tx.stall.update({ where: { id }, data: body }),
      },
      deactivate: {
        roles: ['market_admin'],
        errors: [401, 403, 404],
        async accept(principal, id) {
          manageable(principal, (await repo.stalls.find(id))?.market, 'stall');
        },
        run: (tx, id) => tx.stall.update({ where: { id }, data: { active: false } }),
      },
    });
  };
