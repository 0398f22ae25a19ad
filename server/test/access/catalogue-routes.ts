import { defaultRuleSet } from '@liangzheng/domain';
import { tokenHash } from '../../src/identity/token.ts';
import type { MatrixContext, MatrixRow } from './access-table.ts';
import { allUsers, outcomes } from './access-table.ts';

const has = (body: unknown, match: (row: Record<string, unknown>) => boolean) =>
  Array.isArray(body) && body.some(match);

/** Rule sets are read by market administrators and regulators, and changed by the platform administrator. */
const ruleReaders = outcomes({ ok: ['admin', 'w_admin', 's_admin', 'cs_reg', 'zz_reg'] });
const adminOnly = outcomes({ ok: ['admin'] });

async function freshProduct(ctx: MatrixContext): Promise<{ code: number }> {
  const code = 8000 + ctx.next();
  await ctx.t.prisma.product.create({ data: { code, name: '测试产品', category: 'vegetable' } });
  return { code };
}

/** A stored, valid rule set version that is not active. */
async function storedRuleSet(ctx: MatrixContext): Promise<{ version: string }> {
  const version = `matrix-${ctx.next()}`;
  await ctx.t.prisma.ruleSetVersion.create({
    data: { version, body: JSON.stringify({ ...defaultRuleSet, version }) },
  });
  return { version };
}

/** The product catalogue and rule sets (issue 10: an install without demo data can run a market). */
export const catalogueRoutes: MatrixRow[] = [
  {
    route: 'GET /api/v1/products',
    url: () => '/api/v1/products',
    sees: (b) => has(b, (r) => r.code === 1001),
    expect: outcomes({ ok: allUsers }),
  },
  {
    route: 'GET /api/v1/products/{id}',
    url: () => '/api/v1/products/1001',
    expect: outcomes({ ok: allUsers }),
  },
  {
    route: 'POST /api/v1/products',
    url: () => '/api/v1/products',
    body: (ctx) => ({ code: 8500 + ctx.next(), name: '新产品', category: 'fruit', unit: 'kg' }),
    expect: adminOnly,
  },
  {
    route: 'PATCH /api/v1/products/{id}',
    prepare: freshProduct,
    url: (_ctx, p) => `/api/v1/products/${p.code}`,
    body: () => ({ name: '改名产品' }),
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/products/{id}/deactivate',
    prepare: freshProduct,
    url: (_ctx, p) => `/api/v1/products/${p.code}/deactivate`,
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/products/import',
    url: () => '/api/v1/products/import',
    body: (ctx) => ({ csv: `code,name,category\n${9000 + ctx.next()},导入产品,vegetable\n` }),
    expect: adminOnly,
  },
  {
    route: 'GET /api/v1/rule-sets',
    url: () => '/api/v1/rule-sets',
    expect: ruleReaders,
  },
  {
    route: 'GET /api/v1/rule-sets/active',
    url: () => '/api/v1/rule-sets/active',
    expect: ruleReaders,
  },
  {
    route: 'GET /api/v1/rule-sets/{version}',
    prepare: storedRuleSet,
    url: (_ctx, p) => `/api/v1/rule-sets/${p.version}`,
    expect: ruleReaders,
  },
  {
    route: 'POST /api/v1/rule-sets/validate',
    url: () => '/api/v1/rule-sets/validate',
    body: () => defaultRuleSet,
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/rule-sets',
    url: () => '/api/v1/rule-sets',
    body: (ctx) => ({ ...defaultRuleSet, version: `published-${ctx.next()}` }),
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/rule-sets/{version}/activate',
    prepare: storedRuleSet,
    url: (_ctx, p) => `/api/v1/rule-sets/${p.version}/activate`,
    expect: adminOnly,
  },
];

/** A fresh pending enrolment code for 马王堆's east gate, made behind the API. */
async function pendingCode(ctx: MatrixContext): Promise<{ id: string; code: string }> {
  const code = `${String(ctx.next()).padStart(5, '0')}ABCDE`;
  await ctx.t.prisma.enrollmentCode.create({
    data: {
      codeHash: tokenHash(code),
      gateId: ctx.ids.eastGate,
      name: '矩阵设备',
      expiresAt: new Date(ctx.t.clock.now().getTime() + 3_600_000),
      createdBy: 'matrix',
    },
  });
  return { id: tokenHash(code), code };
}

/** Gate agent enrolment (issue 10): 马王堆's administrator manages codes for its gates; enrolling is public. */
export const enrollmentRoutes: MatrixRow[] = [
  {
    route: 'GET /api/v1/devices/enrollment-codes',
    prepare: pendingCode,
    url: () => '/api/v1/devices/enrollment-codes',
    sees: (b, ctx) => has(b, (r) => r.gateId === ctx.ids.eastGate),
    expect: outcomes({ ok: ['admin', 'w_admin'], without: ['s_admin'] }),
  },
  {
    route: 'POST /api/v1/devices/enrollment-codes',
    reference: 'gateId',
    url: () => '/api/v1/devices/enrollment-codes',
    body: (ctx) => ({ gateId: ctx.ids.eastGate, name: '新设备' }),
    expect: outcomes({ ok: ['admin', 'w_admin'], hidden: ['s_admin'] }),
  },
  {
    route: 'POST /api/v1/devices/enrollment-codes/{id}/revoke',
    prepare: pendingCode,
    url: (_ctx, p) => `/api/v1/devices/enrollment-codes/${p.id}/revoke`,
    expect: outcomes({ ok: ['admin', 'w_admin'], hidden: ['s_admin'] }),
  },
  {
    // the code is the credential: anyone holding a fresh one enrols, whatever session or token they carry
    route: 'POST /api/v1/devices/enroll',
    prepare: pendingCode,
    url: () => '/api/v1/devices/enroll',
    body: (_ctx, p) => ({ code: p.code }),
    expect: outcomes({ ok: ['public', 'device', ...allUsers] }),
  },
];
