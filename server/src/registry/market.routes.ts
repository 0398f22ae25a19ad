import {
  canManageMarket,
  canSeeMarket,
  canSeeStall,
  Gate,
  GateCreate,
  GateUpdate,
  IdParam,
  Market,
  MarketCreate,
  type MarketRef,
  MarketUpdate,
  type Principal,
  Region,
  RegionCreate,
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
import type { RegistryRepository } from './registry.repository.ts';

type MarketRow = MarketRef & { name: string; kind: string; openLotLimitMinutes: number; active: boolean };
const toMarket = (m: MarketRow) => Market.parse(m);

/** Reads hide what is out of scope (404); writes on a visible but unmanageable market are forbidden (403). */
export function manageable(principal: Principal, market: MarketRef | null | undefined, what: string): void {
  if (!market || !canSeeMarket(principal, market)) throw new ApiProblem('NOT_FOUND', `${what} not found`);
  if (!canManageMarket(principal, market))
    throw new ApiProblem('FORBIDDEN', `you may not manage this ${what}`);
}

export const marketRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const anyUser = app.requireRole(roles);
    const adminOnly = app.requireRole([]);
    const managers = app.requireRole(['market_admin']);
    const tags = ['registry'];

    async function marketFor(principal: Principal, marketId: number, what: string) {
      const market = await repo.markets.find(marketId);
      if (!market || !canSeeMarket(principal, market)) throw new ApiProblem('NOT_FOUND', `${what} not found`);
      return market;
    }

    app.get(
      '/regions',
      { schema: { tags, response: { 200: z.array(Region), ...errorResponses(401) } }, preHandler: anyUser },
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
        preHandler: adminOnly,
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
          params: z.strictObject({ code: z.string().regex(/^\d{6}$/) }),
          body: RegionUpdate,
          response: { 200: Region, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: adminOnly,
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

    app.get(
      '/markets',
      { schema: { tags, response: { 200: z.array(Market), ...errorResponses(401) } }, preHandler: anyUser },
      async (request) =>
        (await repo.markets.list()).filter((m) => canSeeMarket(request.principal, m)).map(toMarket),
    );
    app.get(
      '/markets/:id',
      {
        schema: { tags, params: IdParam, response: { 200: Market, ...errorResponses(401, 404) } },
        preHandler: anyUser,
      },
      async (request) => toMarket(await marketFor(request.principal, request.params.id, 'market')),
    );
    app.post(
      '/markets',
      {
        schema: { tags, body: MarketCreate, response: { 201: Market, ...errorResponses(400, 401, 403) } },
        preHandler: adminOnly,
      },
      async (request, reply) => {
        if (!(await repo.regions.find(request.body.regionCode))) {
          throw new ApiProblem('INVALID_REFERENCE', 'region does not exist');
        }
        const market = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'market',
          data: request.body,
          run: (tx) => tx.market.create({ data: request.body }),
          idOf: (m) => m.id,
        });
        return reply.code(201).send(toMarket(market));
      },
    );
    app.patch(
      '/markets/:id',
      {
        schema: {
          tags,
          params: IdParam,
          body: MarketUpdate,
          response: { 200: Market, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: managers,
      },
      async (request) => {
        manageable(request.principal, await repo.markets.find(request.params.id), 'market');
        const market = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity: 'market',
          data: request.body,
          run: (tx) => tx.market.update({ where: { id: request.params.id }, data: request.body }),
          idOf: (m) => m.id,
        });
        return toMarket(market);
      },
    );
    app.post(
      '/markets/:id/deactivate',
      {
        schema: { tags, params: IdParam, response: { 200: Market, ...errorResponses(401, 403, 404) } },
        preHandler: adminOnly,
      },
      async (request) => {
        const market = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'market',
          run: (tx) => tx.market.update({ where: { id: request.params.id }, data: { active: false } }),
          idOf: (m) => m.id,
        });
        return toMarket(market);
      },
    );

    app.get(
      '/gates',
      {
        schema: {
          tags,
          querystring: z.strictObject({ marketId: z.coerce.number().int().positive().optional() }),
          response: { 200: z.array(Gate), ...errorResponses(401, 404) },
        },
        preHandler: app.requireRole(['market_admin', 'gate_staff', 'regulator']),
      },
      async (request) => {
        const markets = (await repo.markets.list()).filter((m) => canSeeMarket(request.principal, m));
        const wanted = request.query.marketId;
        const ids = markets.map((m) => m.id).filter((id) => wanted === undefined || id === wanted);
        return (await repo.gates.list(ids)).map((g) => Gate.parse(g));
      },
    );
    app.post(
      '/gates',
      {
        schema: { tags, body: GateCreate, response: { 201: Gate, ...errorResponses(400, 401, 403, 404) } },
        preHandler: managers,
      },
      async (request, reply) => {
        manageable(request.principal, await repo.markets.find(request.body.marketId), 'market');
        const gate = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'gate',
          data: request.body,
          run: (tx) => tx.gate.create({ data: request.body }),
          idOf: (g) => g.id,
        });
        return reply.code(201).send(Gate.parse(gate));
      },
    );
    app.patch(
      '/gates/:id',
      {
        schema: {
          tags,
          params: IdParam,
          body: GateUpdate,
          response: { 200: Gate, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: managers,
      },
      async (request) => {
        manageable(request.principal, (await repo.gates.find(request.params.id))?.market, 'gate');
        const gate = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity: 'gate',
          data: request.body,
          run: (tx) => tx.gate.update({ where: { id: request.params.id }, data: request.body }),
          idOf: (g) => g.id,
        });
        return Gate.parse(gate);
      },
    );
    app.post(
      '/gates/:id/deactivate',
      {
        schema: { tags, params: IdParam, response: { 200: Gate, ...errorResponses(401, 403, 404) } },
        preHandler: managers,
      },
      async (request) => {
        manageable(request.principal, (await repo.gates.find(request.params.id))?.market, 'gate');
        const gate = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'gate',
          run: (tx) => tx.gate.update({ where: { id: request.params.id }, data: { active: false } }),
          idOf: (g) => g.id,
        });
        app.deviceAuth.forget();
        return Gate.parse(gate);
      },
    );

    app.get(
      '/stalls',
      {
        schema: {
          tags,
          querystring: z.strictObject({ marketId: z.coerce.number().int().positive().optional() }),
          response: { 200: z.array(Stall), ...errorResponses(401) },
        },
        preHandler: app.requireRole(['market_admin', 'gate_staff', 'vendor', 'regulator']),
      },
      async (request) => {
        const markets = new Map((await repo.markets.list()).map((m) => [m.id, m]));
        const wanted = request.query.marketId;
        const ids = [...markets.keys()].filter((id) => wanted === undefined || id === wanted);
        return (await repo.stalls.list(ids))
          .filter((s) => canSeeStall(request.principal, { id: s.id, market: markets.get(s.marketId)! }))
          .map((s) => Stall.parse(s));
      },
    );
    app.post(
      '/stalls',
      {
        schema: {
          tags,
          body: StallCreate,
          response: { 201: Stall, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preHandler: managers,
      },
      async (request, reply) => {
        manageable(request.principal, await repo.markets.find(request.body.marketId), 'market');
        const stall = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'stall',
          data: request.body,
          run: (tx) => tx.stall.create({ data: request.body }),
          idOf: (s) => s.id,
        });
        return reply.code(201).send(Stall.parse(stall));
      },
    );
    app.patch(
      '/stalls/:id',
      {
        schema: {
          tags,
          params: IdParam,
          body: StallUpdate,
          response: { 200: Stall, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: managers,
      },
      async (request) => {
        manageable(request.principal, (await repo.stalls.find(request.params.id))?.market, 'stall');
        const stall = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity: 'stall',
          data: request.body,
          run: (tx) => tx.stall.update({ where: { id: request.params.id }, data: request.body }),
          idOf: (s) => s.id,
        });
        return Stall.parse(stall);
      },
    );
    app.post(
      '/stalls/:id/deactivate',
      {
        schema: { tags, params: IdParam, response: { 200: Stall, ...errorResponses(401, 403, 404) } },
        preHandler: managers,
      },
      async (request) => {
        manageable(request.principal, (await repo.stalls.find(request.params.id))?.market, 'stall');
        const stall = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'stall',
          run: (tx) => tx.stall.update({ where: { id: request.params.id }, data: { active: false } }),
          idOf: (s) => s.id,
        });
        return Stall.parse(stall);
      },
    );
  };
