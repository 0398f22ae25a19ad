import type { MatrixContext, MatrixRow } from './access-table.ts';
import { outcomes } from './access-table.ts';

/**
 * Registry writes on a 天元 row that name a 马王堆 row. 天元's administrator manages the row being written but must
 * not reach the one it names (404, or 403 for a region they can see but not name); 马王堆's administrator does not
 * manage the row. The routes' other references are in core-routes, on rows that write on the 马王堆 side.
 */
const namesAcross = outcomes({ ok: ['admin'], hidden: ['w_admin', 's_admin'] });

/** A 马王堆 vendor of its own (on a fresh 马王堆 stall), so no row moves the demo's vendors between markets. */
async function wholesaleVendor(ctx: MatrixContext): Promise<number> {
  const vendor = await ctx.t.prisma.vendor.create({
    data: { name: '外市场商户', subjectId: `ref-${ctx.next()}`, contact: '13900000000' },
  });
  await ctx.t.prisma.stall.create({
    data: { marketId: ctx.ids.wholesale, number: `R-${ctx.next()}`, vendorId: vendor.id },
  });
  return vendor.id;
}

const supermarketUser = (ctx: MatrixContext, fields: Record<string, unknown>) => ({
  username: `ref_${ctx.next()}`,
  displayName: '新用户',
  password: 'a-long-password',
  role: 'gate_staff',
  marketId: ctx.ids.supermarket,
  ...fields,
});

export const referenceRoutes: MatrixRow[] = [
  {
    // security finding 1: 天元 took 张桂兰 onto its stall, then read and rewrote her file and signed as her business
    route: 'PATCH /api/v1/stalls/{id}',
    reference: 'vendorId',
    prepare: async (ctx) => ({
      vendorId: await wholesaleVendor(ctx),
      stallId: (
        await ctx.t.prisma.stall.create({
          data: { marketId: ctx.ids.supermarket, number: `T-${ctx.next()}` },
        })
      ).id,
    }),
    url: (_ctx, p) => `/api/v1/stalls/${p.stallId}`,
    body: (_ctx, p) => ({ vendorId: p.vendorId }),
    expect: namesAcross,
  },
  {
    route: 'POST /api/v1/stalls',
    reference: 'vendorId',
    prepare: async (ctx) => ({ vendorId: await wholesaleVendor(ctx) }),
    url: () => '/api/v1/stalls',
    body: (ctx, p) => ({ marketId: ctx.ids.supermarket, number: `N-${ctx.next()}`, vendorId: p.vendorId }),
    expect: namesAcross,
  },
  {
    route: 'POST /api/v1/users',
    reference: 'stallId',
    url: () => '/api/v1/users',
    body: (ctx) => supermarketUser(ctx, { role: 'vendor', stallId: ctx.ids.stallA01 }),
    expect: namesAcross,
  },
  {
    route: 'POST /api/v1/users',
    reference: 'issuerId',
    url: () => '/api/v1/users',
    body: (ctx) => supermarketUser(ctx, { issuerId: ctx.ids.coop }),
    expect: namesAcross,
  },
  {
    route: 'POST /api/v1/users',
    reference: 'regionPrefix',
    url: () => '/api/v1/users',
    body: (ctx) => supermarketUser(ctx, { regionPrefix: '4301' }),
    expect: outcomes({ ok: ['admin'], hidden: ['w_admin'], denied: ['s_admin'] }),
  },
];
