import { randomUUID } from 'node:crypto';
import { testPhotoBase64 } from '../lot/photo-fixture.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';
import { type MatrixContext, type MatrixRow, outcomes } from './access-table.ts';

/**
 * Custody routes (docs/custody.md) in the role × scope matrix. The target stall is 马王堆's A-01, whose vendor
 * (w_vendor) holds the demo's accepted 大白菜 lot; 天元's people and 株洲's regulator must get a 404.
 */
type Row = { lotId?: string | null; stallId?: number };
const list = (body: unknown) => (Array.isArray(body) ? (body as Row[]) : []);

/** The demo's accepted lot at A-01 (server/src/demo/demo.ts), so a reader must see its item. */
const demoLot = 'demo-lot-a01-cabbage';
const demoItem = (ctx: MatrixContext) => `lot:${demoLot}:${ctx.ids.coopCertificate}`;

/** Reading a stall's goods: its vendor, its market's staff, admin and the region's regulator. */
const stallReaders = outcomes({
  ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
  hidden: ['s_admin', 's_gate', 's_vendor', 'zz_reg'],
});

/** One repack at A-01 by its vendor with a photographed paper source, made once for the photo row. */
let photoRepack: string | undefined;
async function repackWithPhoto(ctx: MatrixContext): Promise<string> {
  const res = await ctx.t.inject(
    {
      method: 'POST',
      url: `/api/v1/stalls/${ctx.ids.stallA01}/transformations`,
      payload: {
        kind: 'repack',
        inputs: [{ itemId: demoItem(ctx), quantity: 1 }],
        unverifiedSources: [
          { kind: 'paper', description: '矩阵纸质合格证', quantity: 1, unit: 'kg', photo: testPhotoBase64 },
        ],
        outputs: [{ quantity: 2 }],
      },
    },
    await ctx.login('w_vendor'),
  );
  if (res.statusCode !== 201) throw new Error(`repack: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

export const custodyRoutes: MatrixRow[] = [
  {
    route: 'GET /api/v1/stalls/{stallId}/inventory',
    url: (ctx) => `/api/v1/stalls/${ctx.ids.stallA01}/inventory?all=true`,
    sees: (body) => list(body).some((item) => item.lotId === demoLot),
    expect: stallReaders,
  },
  {
    route: 'GET /api/v1/stalls/{stallId}/transformations',
    url: (ctx) => `/api/v1/stalls/${ctx.ids.stallA01}/transformations`,
    sees: (body, ctx) => list(body).some((t) => t.stallId === ctx.ids.stallA01),
    expect: stallReaders,
  },
  {
    route: 'GET /api/v1/transformations/{id}/unverified-sources/{index}/photo',
    prepare: async (ctx) => {
      photoRepack ??= await repackWithPhoto(ctx);
      return { id: photoRepack };
    },
    url: (_ctx, p) => `/api/v1/transformations/${p.id}/unverified-sources/0/photo`,
    expect: stallReaders,
  },
  {
    route: 'GET /api/v1/markets/{marketId}/inventory',
    url: (ctx) => `/api/v1/markets/${ctx.ids.wholesale}/inventory`,
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 'zz_reg'],
    }),
  },
  {
    route: 'POST /api/v1/inventory/{id}/assign',
    prepare: async (ctx) => {
      const id = `lot:matrix-${ctx.next()}:${ctx.ids.coopCertificate}`;
      await ctx.t.prisma.inventoryItem.create({
        data: {
          id,
          marketId: ctx.ids.wholesale,
          certificateId: ctx.ids.coopCertificate,
          received: 5,
          unit: 'kg',
          receivedAt: ctx.t.clock.now(),
        },
      });
      return { id };
    },
    url: (_ctx, p) => `/api/v1/inventory/${p.id}/assign`,
    body: (ctx) => ({ stallId: ctx.ids.stallA01 }),
    expect: outcomes({ ok: ['admin', 'w_admin'], hidden: ['s_admin'] }),
  },
  {
    route: 'POST /api/v1/stalls/{stallId}/receipts',
    prepare: async (ctx) => ({
      text: (await issueTestCertificate(ctx.t, { issuerId: ctx.ids.coop, quantity: 5 })).text,
    }),
    url: (ctx) => `/api/v1/stalls/${ctx.ids.stallA01}/receipts`,
    body: (_ctx, p) => ({ scanId: randomUUID(), rawText: p.text }),
    expect: outcomes({ ok: ['admin', 'w_admin', 'w_vendor'], hidden: ['s_admin', 's_vendor'] }),
  },
  {
    route: 'POST /api/v1/stalls/{stallId}/transformations',
    url: (ctx) => `/api/v1/stalls/${ctx.ids.stallA01}/transformations`,
    body: (ctx) => ({
      kind: 'resale',
      inputs: [{ itemId: demoItem(ctx), quantity: 1 }],
      outputs: [{ quantity: 1 }],
    }),
    expect: outcomes({ ok: ['admin', 'w_vendor'], hidden: ['s_vendor'] }),
  },
  {
    route: 'POST /api/v1/vendors/{id}/issuer',
    prepare: async (ctx) => {
      const n = ctx.next();
      const vendor = await ctx.t.prisma.vendor.create({
        data: {
          name: `矩阵摊主${n}`,
          subjectId: `430102199001${String(n).padStart(6, '0')}`,
          contact: '138 0000 0000',
        },
      });
      await ctx.t.prisma.stall.create({
        data: { marketId: ctx.ids.wholesale, number: `M-${n}`, vendorId: vendor.id },
      });
      return { id: vendor.id };
    },
    url: (_ctx, p) => `/api/v1/vendors/${p.id}/issuer`,
    expect: outcomes({ ok: ['admin', 'w_admin'], hidden: ['s_admin'] }),
  },
  {
    route: 'POST /api/v1/recalls',
    prepare: async (ctx) => ({
      id: (await issueTestCertificate(ctx.t, { issuerId: ctx.ids.coop, quantity: 5 })).id,
    }),
    url: () => '/api/v1/recalls',
    body: (_ctx, p) => ({ certificateId: p.id, reason: '矩阵测试召回' }),
    expect: outcomes({ ok: ['admin', 'coop', 'cs_reg'], hidden: ['farm', 'zz_reg'] }),
  },
];
