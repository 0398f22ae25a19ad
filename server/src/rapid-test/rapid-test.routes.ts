import {
  canSeeMarket,
  DecisionInput,
  PublicRapidTestList,
  RapidTestInput,
  RapidTestQuery,
  RapidTestView,
  RetestInput,
  SamplingAnswer,
  SamplingQuery,
  suggestSamples,
} from '@liangzheng/domain';
import { formatLocalIsoDate } from '@liangzheng/domain/time/local-date';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { userOf } from '../identity/identity.ts';
import { publicRapidTests } from './public-results.ts';
import {
  type RapidTestDeps,
  recordDecision,
  recordRapidTest,
  recordRetest,
  viewOf,
  viewsOf,
  withContext,
} from './rapid-test-service.ts';
import { samplingCandidates } from './sampling-candidates.ts';

const IdParam = z.strictObject({ id: z.string().uuid() });
const MarketParam = z.strictObject({ id: z.coerce.number().int().positive() });

/**
 * 快检 (docs/rapid-test.md): market staff record tests and decide on held goods; the region's regulators read;
 * the public board lists the market's results.
 */
export const rapidTestRoutes =
  (deps: RapidTestDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['rapid-tests'];
    const staff = app.requireRole(['market_admin', 'gate_staff']);
    const readers = app.requireRole(['market_admin', 'gate_staff', 'regulator']);
    const changed = { 200: RapidTestView, ...errorResponses(400, 401, 403, 404, 409) };

    async function visibleMarket(principal: Parameters<typeof canSeeMarket>[0], marketId: number) {
      const market = await deps.db.market.findUnique({ where: { id: marketId } });
      if (!market || !canSeeMarket(principal, market))
        throw new ApiProblem('NOT_FOUND', `market ${marketId} not found`);
      return market;
    }

    app.post(
      '/rapid-tests',
      {
        schema: {
          tags,
          summary:
            'Record a rapid test of a lot or a stall inventory item; a positive holds the goods (stop-sale)',
          body: RapidTestInput,
          response: changed,
        },
        preParsing: staff,
      },
      async (request) => recordRapidTest(deps, userOf(request), request.body),
    );

    app.get(
      '/rapid-tests',
      {
        schema: {
          tags,
          summary: "A market's first tests, newest first; held=true lists only positives still holding goods",
          querystring: RapidTestQuery,
          response: { 200: z.array(RapidTestView), ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: readers,
      },
      async (request) => {
        const q = request.query;
        await visibleMarket(request.principal, q.marketId);
        const rows = await deps.db.rapidTest.findMany({
          where: {
            retestOfId: null,
            lot: { marketId: q.marketId },
            ...(q.held === 'true' ? { result: 'positive', decision: null } : {}),
          },
          orderBy: [{ testedAt: 'desc' }, { id: 'desc' }],
          take: q.limit,
          include: withContext,
        });
        return viewsOf(deps, rows);
      },
    );

    app.get(
      '/rapid-tests/:id',
      {
        schema: {
          tags,
          params: IdParam,
          response: { 200: RapidTestView, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: readers,
      },
      async (request) => {
        const row = await deps.db.rapidTest.findUnique({
          where: { id: request.params.id },
          include: withContext,
        });
        if (!row || !canSeeMarket(request.principal, row.lot.market))
          throw new ApiProblem('NOT_FOUND', `rapid test ${request.params.id} not found`);
        return viewOf(deps, row.retestOfId ?? row.id);
      },
    );

    app.post(
      '/rapid-tests/:id/retest',
      {
        schema: {
          tags,
          summary: 'The retest a vendor asked for, within 4 hours, by a non-rapid method',
          params: IdParam,
          body: RetestInput,
          response: changed,
        },
        preParsing: staff,
      },
      async (request) => {
        const view = await recordRetest(deps, userOf(request), request.params.id, request.body);
        // A lab retest may confirm the positive: the producer's credit is recomputed.
        deps.events.emit('rapid-test.decided', { rapidTestId: request.params.id });
        return view;
      },
    );

    app.post(
      '/rapid-tests/:id/decision',
      {
        schema: {
          tags,
          summary:
            'Released, destroyed under supervision or returned: once the retest is in or the window has ended',
          params: IdParam,
          body: DecisionInput,
          response: changed,
        },
        preParsing: staff,
      },
      async (request) => {
        const view = await recordDecision(deps, userOf(request), request.params.id, request.body);
        deps.events.emit('rapid-test.decided', { rapidTestId: request.params.id });
        return view;
      },
    );

    app.get(
      '/markets/:id/sampling-suggestions',
      {
        schema: {
          tags,
          summary:
            "Which of the last day's arrivals to sample: lower credit grades and past positives weigh more",
          params: MarketParam,
          querystring: SamplingQuery,
          response: { 200: SamplingAnswer, ...errorResponses(400, 401, 403, 404) },
        },
        preParsing: readers,
      },
      async (request) => {
        const market = await visibleMarket(request.principal, request.params.id);
        const now = deps.clock.now();
        const seed = request.query.seed ?? `${market.id}:${formatLocalIsoDate(now, deps.timeZone)}`;
        const candidates = await samplingCandidates(deps.db, market.id, now);
        const drawn = suggestSamples(candidates, { count: request.query.count, seed, now });
        return {
          seed,
          suggestions: drawn.map(({ candidate, weight, reasons }) => ({
            lotId: candidate.lotId,
            productName: candidate.productName,
            issuerName: candidate.issuerName,
            creditGrade: candidate.creditGrade,
            weight,
            reasons,
          })),
        };
      },
    );

    app.get(
      '/public/markets/:id/rapid-tests',
      {
        schema: {
          tags,
          summary: "The market's rapid-test results of the last 30 days, posted publicly (亮证公示)",
          params: MarketParam,
          response: { 200: PublicRapidTestList, ...errorResponses(400, 404) },
        },
      },
      async (request) => {
        const market = await deps.db.market.findUnique({ where: { id: request.params.id } });
        if (!market) throw new ApiProblem('NOT_FOUND', `market ${request.params.id} not found`);
        return {
          marketId: market.id,
          marketName: market.name,
          results: await publicRapidTests(deps.db, market.id, deps.clock.now()),
        };
      },
    );
  };
