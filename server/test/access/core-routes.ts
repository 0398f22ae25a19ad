import { randomUUID } from 'node:crypto';
import { demoCreditCode } from '../../src/demo/demo-data.ts';
import { tokenHash } from '../../src/identity/token.ts';
import { allUsers, type MatrixRow, outcomes } from './access-table.ts';

type Row = { id?: number | string; code?: string; username?: string; certificate?: { id: string } };
const list = (body: unknown) => (Array.isArray(body) ? (body as Row[]) : []);
const has = (body: unknown, pick: (r: Row) => boolean) => list(body).some(pick);

const cabbage = { productCode: 1001, quantity: 10, unit: 'kg', originRegion: '430182', basis: 'self_tested' };

/** Market-scoped routes: 马王堆's own administrator (and admin) manage; 天元's administrator must get a 404. */
const manageWholesale = outcomes({ ok: ['admin', 'w_admin'], hidden: ['s_admin'] });
/** Certificates of 绿源合作社 (宁乡, 430182): the producer, admin and 长沙's regulator see them. */
const coopCertificateReaders = outcomes({
  ok: ['admin', 'coop', 'cs_reg'],
  hidden: ['farm', 'zz_reg', 'w_vendor', 's_vendor'],
});

export const coreRoutes: MatrixRow[] = [
  // identity
  {
    route: 'POST /api/v1/auth/login',
    url: () => '/api/v1/auth/login',
    body: () => ({ username: 'mawangdui_gate', password: 'liangzheng-demo' }),
    expect: outcomes({ ok: ['public', 'device', ...allUsers] }),
  },
  { route: 'GET /api/v1/auth/me', url: () => '/api/v1/auth/me', expect: outcomes({ ok: allUsers }) },
  {
    route: 'POST /api/v1/auth/logout',
    url: () => '/api/v1/auth/logout',
    prepare: async (ctx, actor) => ({
      headers: actor === 'public' || actor === 'device' ? undefined : await ctx.login(actor),
    }),
    headers: (_ctx, _actor, p) => p.headers as Record<string, string> | undefined,
    expect: outcomes({ ok: allUsers }),
  },

  // regions and markets
  {
    route: 'GET /api/v1/regions',
    url: () => '/api/v1/regions',
    sees: (b) => has(b, (r) => r.code === '430102'),
    expect: outcomes({ ok: allUsers }),
  },
  {
    route: 'POST /api/v1/regions',
    reference: 'parentCode',
    url: () => '/api/v1/regions',
    body: (ctx) => ({
      code: String(439000 + ctx.next()),
      name: '测试区',
      level: 'county',
      parentCode: '430000',
    }),
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'PATCH /api/v1/regions/{code}',
    url: () => '/api/v1/regions/430104',
    body: () => ({ name: '岳麓区' }),
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'POST /api/v1/regions/{code}/deactivate',
    prepare: async (ctx) => {
      const code = String(438000 + ctx.next());
      await ctx.t.prisma.region.create({ data: { code, name: '待停用区', level: 'county' } });
      return { code };
    },
    url: (_ctx, p) => `/api/v1/regions/${p.code}/deactivate`,
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'GET /api/v1/markets',
    url: () => '/api/v1/markets',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.wholesale),
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
      without: ['s_admin', 's_gate', 's_vendor', 'coop', 'farm', 'zz_reg'],
    }),
  },
  {
    route: 'GET /api/v1/markets/{id}',
    url: (ctx) => `/api/v1/markets/${ctx.ids.wholesale}`,
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 's_vendor', 'coop', 'farm', 'zz_reg'],
    }),
  },
  {
    route: 'POST /api/v1/markets',
    reference: 'regionCode',
    url: () => '/api/v1/markets',
    body: (ctx) => ({ name: `测试市场 ${ctx.next()}`, kind: 'supermarket', regionCode: '430104' }),
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'PATCH /api/v1/markets/{id}',
    url: (ctx) => `/api/v1/markets/${ctx.ids.wholesale}`,
    body: () => ({ openLotLimitMinutes: 90 }),
    expect: manageWholesale,
  },
  {
    route: 'POST /api/v1/markets/{id}/deactivate',
    prepare: async (ctx) => ({
      id: (
        await ctx.t.prisma.market.create({
          data: { name: '待关闭市场', kind: 'wholesale', regionCode: '430102' },
        })
      ).id,
    }),
    url: (_ctx, p) => `/api/v1/markets/${p.id}/deactivate`,
    expect: outcomes({ ok: ['admin'] }),
  },

  // gates and stalls
  {
    route: 'GET /api/v1/gates',
    url: () => '/api/v1/gates',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.eastGate),
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'cs_reg'],
      without: ['s_admin', 's_gate', 'zz_reg'],
    }),
  },
  {
    route: 'POST /api/v1/gates',
    reference: 'marketId',
    url: () => '/api/v1/gates',
    body: (ctx) => ({ marketId: ctx.ids.wholesale, name: `测试门 ${ctx.next()}` }),
    expect: manageWholesale,
  },
  {
    route: 'PATCH /api/v1/gates/{id}',
    url: (ctx) => `/api/v1/gates/${ctx.ids.eastGate}`,
    body: () => ({ name: '东门 1 号道口' }),
    expect: manageWholesale,
  },
  {
    route: 'POST /api/v1/gates/{id}/deactivate',
    prepare: async (ctx) => ({
      id: (await ctx.t.prisma.gate.create({ data: { marketId: ctx.ids.wholesale, name: '临时门' } })).id,
    }),
    url: (_ctx, p) => `/api/v1/gates/${p.id}/deactivate`,
    expect: manageWholesale,
  },
  {
    route: 'GET /api/v1/stalls',
    url: () => '/api/v1/stalls',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.stallA01),
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
      without: ['s_admin', 's_gate', 's_vendor', 'zz_reg'],
    }),
  },
  {
    route: 'POST /api/v1/stalls',
    reference: 'marketId',
    url: () => '/api/v1/stalls',
    body: (ctx) => ({ marketId: ctx.ids.wholesale, number: `T-${ctx.next()}` }),
    expect: manageWholesale,
  },
  {
    route: 'PATCH /api/v1/stalls/{id}',
    url: (ctx) => `/api/v1/stalls/${ctx.ids.stallA01}`,
    body: (ctx) => ({ vendorId: ctx.ids.zhang }),
    expect: manageWholesale,
  },
  {
    route: 'POST /api/v1/stalls/{id}/deactivate',
    prepare: async (ctx) => ({
      id: (
        await ctx.t.prisma.stall.create({ data: { marketId: ctx.ids.wholesale, number: `X-${ctx.next()}` } })
      ).id,
    }),
    url: (_ctx, p) => `/api/v1/stalls/${p.id}/deactivate`,
    expect: manageWholesale,
  },

  // vendors
  {
    route: 'GET /api/v1/vendors',
    url: () => '/api/v1/vendors',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.zhang),
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
      without: ['s_admin', 's_gate', 's_vendor', 'zz_reg'],
    }),
  },
  {
    route: 'GET /api/v1/vendors/{id}',
    url: (ctx) => `/api/v1/vendors/${ctx.ids.zhang}`,
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'w_vendor', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 's_vendor', 'zz_reg'],
    }),
  },
  {
    route: 'POST /api/v1/vendors',
    reference: 'stallId',
    prepare: async (ctx) => ({
      stallId: (
        await ctx.t.prisma.stall.create({ data: { marketId: ctx.ids.wholesale, number: `V-${ctx.next()}` } })
      ).id,
    }),
    url: () => '/api/v1/vendors',
    body: (_ctx, p) => ({
      name: '赵新',
      subjectId: '430102199001011234',
      contact: '13800000000',
      stallId: p.stallId,
    }),
    expect: manageWholesale,
  },
  {
    route: 'PATCH /api/v1/vendors/{id}',
    url: (ctx) => `/api/v1/vendors/${ctx.ids.zhang}`,
    body: () => ({ contact: '138 7311 2046' }),
    expect: manageWholesale,
  },
  {
    route: 'POST /api/v1/vendors/{id}/deactivate',
    prepare: async (ctx) => {
      const vendor = await ctx.t.prisma.vendor.create({
        data: { name: '临时商户', subjectId: 'x', contact: '1' },
      });
      await ctx.t.prisma.stall.create({
        data: { marketId: ctx.ids.wholesale, number: `D-${ctx.next()}`, vendorId: vendor.id },
      });
      return { id: vendor.id };
    },
    url: (_ctx, p) => `/api/v1/vendors/${p.id}/deactivate`,
    expect: manageWholesale,
  },

  // producers and their keys
  {
    route: 'GET /api/v1/issuers',
    url: () => '/api/v1/issuers',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.coop),
    expect: outcomes({ ok: ['admin', 'coop', 'cs_reg'], without: ['farm', 'zz_reg'] }),
  },
  {
    route: 'GET /api/v1/issuers/{id}',
    url: (ctx) => `/api/v1/issuers/${ctx.ids.coop}`,
    expect: outcomes({ ok: ['admin', 'coop', 'cs_reg'], hidden: ['farm', 'zz_reg'] }),
  },
  {
    route: 'POST /api/v1/issuers',
    reference: 'regionCode',
    url: () => '/api/v1/issuers',
    body: (ctx) => ({
      kind: 'producer',
      name: '测试农场',
      subjectId: demoCreditCode('91', '430182', `MA4T${String(ctx.next()).padStart(5, '0')}`),
      contact: '0731-0000 0000',
      regionCode: '430182',
    }),
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'PATCH /api/v1/issuers/{id}',
    url: (ctx) => `/api/v1/issuers/${ctx.ids.coop}`,
    body: () => ({ contact: '0731-8786 2210' }),
    expect: outcomes({ ok: ['admin', 'coop'], hidden: ['farm'] }),
  },
  {
    route: 'POST /api/v1/issuers/{id}/deactivate',
    prepare: async (ctx) => ({
      id: (
        await ctx.t.prisma.issuer.create({
          data: {
            kind: 'producer',
            name: '待停用',
            subjectId: `tmp-${ctx.next()}`,
            subjectIdKind: 'other',
            contact: '1',
            regionCode: '430182',
          },
        })
      ).id,
    }),
    url: (_ctx, p) => `/api/v1/issuers/${p.id}/deactivate`,
    expect: outcomes({ ok: ['admin'] }),
  },
  {
    route: 'GET /api/v1/issuers/{id}/keys',
    url: (ctx) => `/api/v1/issuers/${ctx.ids.coop}/keys`,
    expect: outcomes({ ok: ['admin', 'coop', 'cs_reg'], hidden: ['farm', 'zz_reg'] }),
  },
  {
    route: 'POST /api/v1/issuers/{id}/keys',
    url: (ctx) => `/api/v1/issuers/${ctx.ids.coop}/keys`,
    expect: outcomes({ ok: ['admin', 'coop'], hidden: ['farm'] }),
  },
  {
    route: 'POST /api/v1/issuer-keys/{id}/compromise',
    prepare: async (ctx) => {
      const material = ctx.t.keyring.createIssuerKey();
      const key = await ctx.t.prisma.issuerKey.create({
        data: {
          id: randomUUID(),
          issuerId: ctx.ids.eggs,
          ...material,
          validFrom: new Date(0),
          status: 'retired',
        },
      });
      return { id: key.id };
    },
    url: (_ctx, p) => `/api/v1/issuer-keys/${p.id}/compromise`,
    expect: outcomes({ ok: ['admin'] }),
  },

  // devices and users
  {
    route: 'GET /api/v1/devices',
    url: () => '/api/v1/devices',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.device),
    expect: outcomes({ ok: ['admin', 'w_admin'], without: ['s_admin'] }),
  },
  {
    route: 'POST /api/v1/devices',
    reference: 'gateId',
    url: () => '/api/v1/devices',
    body: (ctx) => ({ gateId: ctx.ids.eastGate, name: '备用扫码枪' }),
    expect: manageWholesale,
  },
  {
    route: 'POST /api/v1/devices/{id}/revoke',
    prepare: async (ctx) => ({
      id: (
        await ctx.t.prisma.device.create({
          data: {
            id: randomUUID(),
            gateId: ctx.ids.eastGate,
            name: '待吊销',
            tokenHash: tokenHash(randomUUID()),
          },
        })
      ).id,
    }),
    url: (_ctx, p) => `/api/v1/devices/${p.id}/revoke`,
    expect: manageWholesale,
  },
  {
    route: 'GET /api/v1/users',
    url: () => '/api/v1/users',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.gateUser),
    expect: outcomes({ ok: ['admin', 'w_admin'], without: ['s_admin'] }),
  },
  {
    route: 'POST /api/v1/users',
    reference: 'marketId',
    url: () => '/api/v1/users',
    body: (ctx) => ({
      username: `gate_${ctx.next()}`,
      displayName: '新查验员',
      password: 'a-long-password',
      role: 'gate_staff',
      marketId: ctx.ids.wholesale,
    }),
    // 天元's administrator may create staff, just not for 马王堆, a market they cannot see.
    expect: manageWholesale,
  },
  {
    route: 'PATCH /api/v1/users/{id}',
    url: (ctx) => `/api/v1/users/${ctx.ids.gateUser}`,
    body: () => ({ displayName: '东门查验员' }),
    expect: manageWholesale,
  },
  {
    route: 'POST /api/v1/users/{id}/deactivate',
    prepare: async (ctx) => ({
      id: (
        await ctx.t.prisma.user.create({
          data: {
            username: `tmp_${ctx.next()}`,
            displayName: '临时',
            role: 'gate_staff',
            marketId: ctx.ids.wholesale,
            passwordHash: 'x',
          },
        })
      ).id,
    }),
    url: (_ctx, p) => `/api/v1/users/${p.id}/deactivate`,
    expect: manageWholesale,
  },

  // certificates
  {
    route: 'POST /api/v1/certificates',
    url: () => '/api/v1/certificates',
    body: (ctx) => ({ issuerId: ctx.ids.coop, ...cabbage }),
    expect: outcomes({ ok: ['admin', 'coop'] }),
  },
  {
    route: 'POST /api/v1/certificates/batch',
    url: () => '/api/v1/certificates/batch',
    body: (ctx) => ({ issuerId: ctx.ids.coop, items: [cabbage, cabbage] }),
    expect: outcomes({ ok: ['admin', 'coop'] }),
  },
  {
    route: 'GET /api/v1/certificates',
    url: () => '/api/v1/certificates?limit=500',
    sees: (b, ctx) => has(b, (r) => r.id === ctx.ids.coopCertificate),
    expect: outcomes({
      ok: ['admin', 'coop', 'cs_reg'],
      without: ['farm', 'zz_reg', 'w_vendor', 's_vendor'],
    }),
  },
  {
    route: 'GET /api/v1/producer/certificates',
    url: () => '/api/v1/producer/certificates?limit=200',
    sees: (b, ctx) =>
      has((b as { certificates: unknown }).certificates, (r) => r.id === ctx.ids.coopCertificate),
    expect: outcomes({ ok: ['coop'], without: ['farm'] }),
  },
  {
    route: 'GET /api/v1/certificates/{id}',
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}`,
    expect: coopCertificateReaders,
  },
  {
    route: 'GET /api/v1/certificates/{id}/qr.svg',
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}/qr.svg`,
    expect: coopCertificateReaders,
  },
  {
    route: 'GET /api/v1/certificates/{id}/label.pdf',
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}/label.pdf?size=60x80`,
    expect: coopCertificateReaders,
  },
  {
    route: 'POST /api/v1/certificates/{id}/void',
    prepare: async (ctx) => {
      const cert = await ctx.t.prisma.certificate.findFirstOrThrow({
        where: {
          issuerId: ctx.ids.coop,
          status: 'valid',
          id: { notIn: [ctx.ids.coopCertificate, ctx.ids.pepperCertificate] },
        },
      });
      return { id: cert.id };
    },
    url: (_ctx, p) => `/api/v1/certificates/${p.id}/void`,
    body: () => ({ reason: '矩阵测试作废' }),
    expect: coopCertificateReaders,
  },
];
