import { randomUUID } from 'node:crypto';
import { type MatrixContext, type MatrixRow, outcomes } from './access-table.ts';

/**
 * 台账 (docs/purchase-ledger.md): 马王堆's staff and 长沙's regulator export its ledger, its vendor their own
 * stall's; 天元's staff, vendor and 株洲's regulator get a 404. Only the lot's market staff complete a supplier.
 */
async function wholesaleLot(ctx: MatrixContext) {
  const id = randomUUID();
  await ctx.t.prisma.lot.create({
    data: {
      id,
      marketId: ctx.ids.wholesale,
      stallId: ctx.ids.stallA01,
      productName: '辣椒',
      category: 'vegetable',
      quantity: 10,
      unit: 'kg',
      openedAt: ctx.t.clock.now(),
    },
  });
  return { lotId: id };
}

export const purchaseLedgerRoutes: MatrixRow[] = [
  {
    route: 'GET /api/v1/purchase-ledger',
    url: (ctx) =>
      `/api/v1/purchase-ledger?marketId=${ctx.ids.wholesale}&stallId=${ctx.ids.stallA01}&from=2026-03-15&to=2026-03-15`,
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 's_vendor', 'zz_reg'],
    }),
  },
  {
    route: 'PATCH /api/v1/lots/{id}/supplier',
    prepare: wholesaleLot,
    url: (_ctx, p) => `/api/v1/lots/${p.lotId}/supplier`,
    body: () => ({ supplierAddress: '湖南省长沙市宁乡市', supplierContact: '0731-87654321' }),
    expect: outcomes({ ok: ['admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] }),
  },
];
