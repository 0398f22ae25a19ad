import { Readable } from 'node:stream';
import {
  canManageMarket,
  canSeeMarket,
  canSeeStall,
  checkLedgerRange,
  EntityId,
  LotSupplierUpdate,
  LotSupplierView,
  type Principal,
  PurchaseLedgerQuery,
} from '@liangzheng/domain';
import { wallClockDate } from '@liangzheng/domain/time/local-date';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf, userOf } from '../identity/identity.ts';
import { purchaseLedgerCsv } from './purchase-ledger-csv.ts';
import { countLedgerRows, type LedgerFilter, purchaseLedgerPages } from './purchase-ledger-rows.ts';
import { purchaseLedgerXlsx } from './purchase-ledger-xlsx.ts';

/** The instant a calendar day (2026-03-15) begins on the market's clock: 2026-03-14T16:00Z in Asia/Shanghai. */
function dayStart(day: string, timeZone: string): Date {
  const wallMidnight = Date.parse(`${day}T00:00:00Z`);
  const offset = wallClockDate(new Date(wallMidnight), timeZone).getTime() - wallMidnight;
  return new Date(wallMidnight - offset);
}
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The header carrying how many rows the streamed file will hold, so a client can show its progress. */
export const LEDGER_ROWS_HEADER = 'x-ledger-rows';

const LotParam = z.strictObject({ id: EntityId });

/**
 * 台账 (docs/purchase-ledger.md): the purchase ledger per market or stall over calendar days, streamed as CSV or
 * XLSX; and the supplier's details on a lot, completed after the gate by the market's staff.
 */
export const purchaseLedgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['purchase-ledger'];
  const readers = app.requireRole(['market_admin', 'gate_staff', 'regulator', 'vendor']);
  const staff = app.requireRole(['market_admin', 'gate_staff']);

  /** The market must be in sight; a stall must be of that market (a vendor's own stall, for a vendor). */
  async function ledgerScope(principal: Principal, marketId: number, stallId: number | undefined) {
    const market = await app.prisma.market.findUnique({ where: { id: marketId } });
    if (!market || !canSeeMarket(principal, market))
      throw new ApiProblem('NOT_FOUND', `market ${marketId} not found`);
    const ownStall = principal.kind === 'user' && principal.scope.kind === 'stall';
    if (ownStall && stallId === undefined)
      throw new ApiProblem('FORBIDDEN', 'a vendor exports the ledger of their own stall (stallId)');
    if (stallId === undefined) return;
    const stall = await app.prisma.stall.findUnique({ where: { id: stallId }, include: { market: true } });
    if (!stall || stall.marketId !== marketId || !canSeeStall(principal, stall))
      throw new ApiProblem('NOT_FOUND', `stall ${stallId} not found`);
  }

  app.get(
    '/purchase-ledger',
    {
      schema: {
        tags,
        summary:
          '台账: the purchase ledger (进货查验记录) of a market or stall over calendar days, streamed as CSV or XLSX; ' +
          'X-Ledger-Rows says how many rows are coming',
        querystring: PurchaseLedgerQuery,
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: readers,
    },
    async (request, reply) => {
      const q = request.query;
      const range = checkLedgerRange(q.from, q.to);
      if (!range.ok) throw new ApiProblem(range.code, range.message);
      await ledgerScope(request.principal, q.marketId, q.stallId);
      const timeZone = app.config.timeZone;
      const filter: LedgerFilter = {
        marketId: q.marketId,
        stallId: q.stallId,
        start: dayStart(q.from, timeZone),
        end: dayStart(nextDay(q.to), timeZone),
      };
      const rows = await countLedgerRows(app.prisma, filter);
      const pages = purchaseLedgerPages(app.prisma, filter, timeZone);
      const body = q.format === 'xlsx' ? purchaseLedgerXlsx(pages) : purchaseLedgerCsv(pages);
      const stall = q.stallId ? `-stall${q.stallId}` : '';
      const name = `purchase-ledger-${q.marketId}${stall}-${q.from}-${q.to}.${q.format}`;
      return reply
        .type(contentTypes[q.format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header(LEDGER_ROWS_HEADER, String(rows))
        .header('cache-control', 'no-store')
        .send(Readable.from(body));
    },
  );

  app.patch(
    '/lots/:id/supplier',
    {
      schema: {
        tags,
        summary: "Complete a lot's supplier name, address and contact for the 台账 (the lot's market staff)",
        params: LotParam,
        body: LotSupplierUpdate,
        response: { 200: LotSupplierView, ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: staff,
    },
    async (request) => {
      const principal = userOf(request);
      const lot = await app.prisma.lot.findUnique({
        where: { id: request.params.id },
        include: { market: true },
      });
      if (!lot || !canSeeMarket(principal, lot.market))
        throw new ApiProblem('NOT_FOUND', `lot ${request.params.id} not found`);
      const isOwnMarketStaff = principal.scope.kind === 'market' && principal.scope.marketId === lot.marketId;
      if (!isOwnMarketStaff && !canManageMarket(principal, lot.market))
        throw new ApiProblem('FORBIDDEN', "only the lot's market may complete its supplier");
      const updated = await app.prisma.$transaction(async (tx) => {
        const row = await tx.lot.update({
          where: { id: lot.id },
          data: request.body,
          select: { id: true, supplier: true, supplierAddress: true, supplierContact: true },
        });
        await app.audit.append(tx, {
          actor: actorOf(principal),
          action: 'supplier',
          entity: 'lot',
          entityId: lot.id,
          data: request.body,
        });
        return row;
      });
      return updated;
    },
  );
};
