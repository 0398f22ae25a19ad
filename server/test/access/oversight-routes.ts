import { randomUUID } from 'node:crypto';
import { type MatrixContext, type MatrixRow, outcomes } from './access-table.ts';

/**
 * Credit grades, 双随机 cross-inspection and violation dispositions in the role × scope matrix. The coop
 * (宁乡 430182) is 长沙's producer; draws span 湖南 (43), so both cities' regulators see them.
 */

/** A violation at 马王堆 opened behind the API, as the gate would. */
async function freshViolation(ctx: MatrixContext) {
  const lotId = randomUUID();
  await ctx.t.prisma.lot.create({
    data: {
      id: lotId,
      marketId: ctx.ids.wholesale,
      productName: '辣椒',
      category: 'vegetable',
      quantity: 10,
      unit: 'kg',
      noCertificate: true,
    },
  });
  const violationId = randomUUID();
  await ctx.t.prisma.violation.create({
    data: { id: violationId, lotId, marketId: ctx.ids.wholesale, regionCode: '430102', reason: 'MISSING' },
  });
  return { violationId };
}

let draw: { id: string } | undefined;
/** One logged draw over 湖南, made by the administrator through the API. */
async function sharedDraw(ctx: MatrixContext) {
  if (!draw) {
    const admin = await ctx.login('admin');
    const res = await ctx.t.inject(
      {
        method: 'POST',
        url: '/api/v1/inspection-draws',
        payload: { count: 2, seed: 'matrix', regionPrefix: '43' },
      },
      admin,
    );
    draw = { id: res.json().id };
  }
  return draw;
}

/** A task of that draw sent to 长沙's regulator at 天元 (株洲), so only they (and admins) record findings. */
async function changshaTask(ctx: MatrixContext) {
  const { id: drawId } = await sharedDraw(ctx);
  const inspector = await ctx.t.prisma.user.findUniqueOrThrow({ where: { username: 'changsha_regulator' } });
  const taskId = randomUUID();
  await ctx.t.prisma.inspectionTask.create({
    data: {
      id: taskId,
      drawId,
      inspectorId: inspector.id,
      targetKind: 'market',
      marketId: ctx.ids.supermarket,
      regionCode: '430211',
    },
  });
  return { taskId };
}

const deciders = outcomes({
  ok: ['admin', 'cs_reg'],
  denied: ['public', 'device', 'w_admin', 'w_gate'],
  hidden: ['s_admin', 's_gate', 'zz_reg', 'w_vendor', 's_vendor', 'coop', 'farm'],
});
const provinceRegulators = outcomes({ ok: ['admin', 'cs_reg', 'zz_reg'] });
const hasId = (id: unknown) => (body: unknown) => JSON.stringify(body).includes(String(id));

export const oversightRoutes: MatrixRow[] = [
  {
    route: 'POST /api/v1/violations/bulk',
    prepare: freshViolation,
    url: () => '/api/v1/violations/bulk',
    body: (_ctx, p) => ({ ids: [p.violationId], to: 'reviewing' }),
    // Everyone with a queue is answered; only deciders of the region move it, the rest find it refused.
    sees: (body) => (body as { moved: string[] }).moved.length === 1,
    expect: outcomes({
      ok: ['admin', 'cs_reg'],
      without: ['w_admin', 'w_gate', 's_admin', 's_gate', 'zz_reg', 'w_vendor', 's_vendor', 'coop', 'farm'],
    }),
  },
  {
    route: 'POST /api/v1/violations/{id}/dispositions',
    prepare: freshViolation,
    url: (_ctx, p) => `/api/v1/violations/${p.violationId}/dispositions`,
    body: () => ({ kind: 'held', note: '现场封存' }),
    expect: deciders,
  },
  {
    route: 'GET /api/v1/issuers/{id}/credit',
    url: (ctx) => `/api/v1/issuers/${ctx.ids.coop}/credit`,
    expect: outcomes({ ok: ['admin', 'coop', 'cs_reg'], hidden: ['farm', 'zz_reg'] }),
  },
  {
    route: 'POST /api/v1/issuers/{id}/credit/override',
    url: (ctx) => `/api/v1/issuers/${ctx.ids.eggs}/credit/override`,
    body: () => ({ grade: 'B', reason: '矩阵测试' }),
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'POST /api/v1/credit/recompute',
    url: () => '/api/v1/credit/recompute',
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'POST /api/v1/inspection-draws',
    url: () => '/api/v1/inspection-draws',
    body: (ctx) => ({ count: 1, seed: `matrix-${ctx.next()}` }),
    expect: provinceRegulators,
  },
  {
    route: 'GET /api/v1/inspection-draws',
    prepare: sharedDraw,
    url: () => '/api/v1/inspection-draws',
    sees: (body) => hasId(draw?.id)(body),
    expect: provinceRegulators,
  },
  {
    route: 'GET /api/v1/inspection-draws/{id}',
    prepare: sharedDraw,
    url: (_ctx, p) => `/api/v1/inspection-draws/${p.id}`,
    expect: provinceRegulators,
  },
  {
    route: 'POST /api/v1/inspection-draws/{id}/replay',
    prepare: sharedDraw,
    url: (_ctx, p) => `/api/v1/inspection-draws/${p.id}/replay`,
    expect: provinceRegulators,
  },
  {
    route: 'GET /api/v1/inspection-tasks',
    prepare: sharedDraw,
    url: (_ctx, p) => `/api/v1/inspection-tasks?drawId=${p.id}`,
    sees: (body) => (body as unknown[]).length > 0,
    expect: provinceRegulators,
  },
  {
    route: 'POST /api/v1/inspection-tasks/{id}/findings',
    prepare: changshaTask,
    url: (_ctx, p) => `/api/v1/inspection-tasks/${p.taskId}/findings`,
    body: () => ({ compliant: true, note: '亮证齐全' }),
    expect: outcomes({ ok: ['admin', 'cs_reg'], hidden: ['zz_reg'] }),
  },
];
