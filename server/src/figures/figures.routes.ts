import type { FigureCut, Principal } from '@liangzheng/domain';
import { Figures, FiguresQuery } from '@liangzheng/domain';
import { formatLocalIsoDate } from '@liangzheng/domain/time/local-date';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import type { Db } from '../storage/db.ts';
import { createFigureSummary } from './figure-summary.ts';
import { cutFigures, figures, rangeOf } from './figures-service.ts';
import { monthlyWorkbook, type ReportHeading } from './monthly-report.ts';

/** The region a caller's figures cover: their own, or a narrower one they ask for. */
function regionOf(principal: Principal, asked: string | undefined): string | null {
  if (principal.kind !== 'user') throw new ApiProblem('UNAUTHENTICATED', 'log in');
  const scope = principal.scope;
  if (scope.kind === 'all') return asked ?? null;
  if (scope.kind !== 'region') throw new ApiProblem('FORBIDDEN', 'only regulators see figures');
  if (asked === undefined) return scope.prefix;
  if (!asked.startsWith(scope.prefix))
    throw new ApiProblem('FORBIDDEN', `region ${asked} is outside your region ${scope.prefix}`);
  return asked;
}

const ReportQuery = z.strictObject({
  /** the calendar month reported, e.g. 2026-03 */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is written YYYY-MM'),
  regionPrefix: FiguresQuery.shape.regionPrefix,
});

/** The last day of a YYYY-MM month. */
function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

/** The report's region by name, and the level above it that receives the report (市 → 省). */
async function headingOf(
  db: Db,
  month: string,
  prefix: string | null,
  generatedAt: string,
): Promise<ReportHeading> {
  if (prefix === null) return { month, regionName: '全国', reportTo: null, generatedAt };
  const region = await db.region.findUnique({ where: { code: prefix.padEnd(6, '0') } });
  const parent = region?.parentCode
    ? await db.region.findUnique({ where: { code: region.parentCode } })
    : null;
  return { month, regionName: region?.name ?? prefix, reportTo: parent?.name ?? null, generatedAt };
}

/** The regulator dashboard's figures, counted in the database per local day, and the monthly report. */
export const figuresRoutes: FastifyPluginAsyncZod = async (app) => {
  const summary = createFigureSummary({
    db: app.prisma,
    dialect: app.dialect,
    timeZone: app.config.timeZone,
    clock: app.clock,
    backgroundMs: app.config.figuresCatchUpMs,
    log: { info: (message) => app.log.info(message), error: (message) => app.log.error(message) },
  });
  // Built (a backfill, on a database from before the summary) or caught up as the server starts, in the background:
  // a figures read arriving meanwhile waits for it.
  app.addHook('onReady', async () => {
    summary.catchUp().catch((error: unknown) => app.log.error(`figures summary: ${String(error)}`));
  });
  app.addHook('onClose', () => summary.close());

  app.get(
    '/figures',
    {
      schema: {
        tags: ['figures'],
        summary:
          'Per day, week or month and per region, market, category or producer: 查验率, outcomes, violations by reason, repeat offenders, 开证率, rapid tests',
        querystring: FiguresQuery,
        response: { 200: Figures, ...errorResponses(400, 401, 403) },
      },
      preParsing: app.requireRole(['regulator']),
    },
    async (request) => {
      const regionPrefix = regionOf(request.principal, request.query.regionPrefix);
      const range = rangeOf(request.query, app.clock.now(), summary.timeZone);
      if (!range.ok) throw new ApiProblem(range.error.code, range.error.message);
      return figures(summary, {
        from: range.from,
        to: range.to,
        regionPrefix,
        marketId: request.query.marketId ?? null,
        period: request.query.period ?? 'day',
        groupBy: request.query.groupBy ?? null,
      });
    },
  );

  app.get(
    '/figures/report.xlsx',
    {
      schema: {
        tags: ['figures'],
        summary: 'The monthly report for the level above (市 → 省) as a workbook, with the dashboard figures',
        querystring: ReportQuery,
        response: { 200: z.any(), ...errorResponses(400, 401, 403) },
      },
      preParsing: app.requireRole(['regulator']),
    },
    async (request, reply) => {
      const regionPrefix = regionOf(request.principal, request.query.regionPrefix);
      const { month } = request.query;
      const range = { from: `${month}-01`, to: lastDayOf(month), regionPrefix, period: 'day' as const };
      const whole = await figures(summary, range);
      const cut = (groupBy: FigureCut) => cutFigures(summary, range, groupBy);
      const cuts = {
        region: await cut('region'),
        market: await cut('market'),
        category: await cut('category'),
        producer: await cut('producer'),
      };
      const now = app.clock.now();
      const heading = await headingOf(
        app.prisma,
        month,
        regionPrefix,
        `${formatLocalIsoDate(now, summary.timeZone)}`,
      );
      const name = `liangzheng-report-${regionPrefix ?? 'all'}-${month}.xlsx`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(await monthlyWorkbook(heading, whole, cuts));
    },
  );
};
