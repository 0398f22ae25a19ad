import { randomUUID } from 'node:crypto';
import { testPhotoBase64 } from '../lot/photo-fixture.ts';
import { issueTestCertificate, scanBody } from '../scan/scan-fixture.ts';
import { type MatrixContext, type MatrixRow, outcomes } from './access-table.ts';

/**
 * The scan flow's routes in the role × scope matrix. Targets are in 长沙马王堆 (芙蓉区 430102): 株洲's people
 * (s_*, zz_reg) and the producers must never see them; 长沙's regulator sees them but only regulators decide.
 */
type Row = { id?: string };
const has = (body: unknown, id: unknown) => Array.isArray(body) && (body as Row[]).some((r) => r.id === id);
const device = (ctx: MatrixContext) => ({ authorization: `Bearer ${ctx.t.demo!.deviceToken}` });
const declaration = {
  productName: '大白菜',
  productCode: 1001,
  category: 'vegetable',
  quantity: 10,
  unit: 'kg',
};
const paper = {
  productName: '大白菜',
  quantity: 10,
  unit: 'kg',
  origin: '湖南宁乡',
  issuerName: '宁乡市绿源蔬菜种植专业合作社',
  contact: '0731-87862210',
  issuedOn: '2026-03-14',
  basis: '自我承诺',
};

async function newLot(
  ctx: MatrixContext,
  extra: object = {},
): Promise<{ lotId: string; violationId: string | null }> {
  const res = await ctx.t.inject(
    { method: 'POST', url: '/api/v1/lots', payload: { declaration, ...extra } },
    device(ctx),
  );
  const body = res.json() as { lot: { id: string }; violationId: string | null };
  return { lotId: body.lot.id, violationId: body.violationId };
}

let shared: { lotId: string; violationId: string } | undefined;
async function sharedTargets(ctx: MatrixContext) {
  if (!shared) {
    const { lotId, violationId } = await newLot(ctx, { noCertificate: true });
    shared = { lotId, violationId: violationId! };
  }
  return shared;
}

/** A lot shown a paper certificate with its photo, made once. */
let photoLot: { lotId: string } | undefined;

const freshViolation = async (ctx: MatrixContext) => ({
  violationId: (await newLot(ctx, { noCertificate: true })).violationId,
});

/** Deciding on a violation: admin and the region's regulator; market staff see it but may not decide. */
const deciders = outcomes({
  ok: ['admin', 'cs_reg'],
  denied: ['public', 'device', 'w_admin', 'w_gate'],
  hidden: ['s_admin', 's_gate', 'zz_reg', 'w_vendor', 's_vendor', 'coop', 'farm'],
});

export const flowRoutes: MatrixRow[] = [
  {
    route: 'POST /api/v1/scans',
    prepare: async (ctx) => ({ lotId: (await newLot(ctx)).lotId }),
    url: () => '/api/v1/scans',
    body: (ctx, p) => ({
      scanId: randomUUID(),
      lotId: p.lotId,
      gateId: String(ctx.ids.eastGate),
      provenance: {
        source: 'manual',
        rawText: 'HGZ20260315-0001',
        keystrokeTimings: [],
        deviceTime: '2026-03-15T06:00:00.000Z',
        decoder: 'matrix',
      },
    }),
    // Staff of 马王堆 judge at its gates from the console; 株洲's staff are refused the gate (GATE_MISMATCH).
    expect: outcomes({ ok: ['device', 'admin', 'w_admin', 'w_gate'] }),
  },
  {
    route: 'POST /api/v1/scans/batch',
    prepare: async (ctx) => ({ lotId: (await newLot(ctx)).lotId }),
    url: () => '/api/v1/scans/batch',
    body: (ctx, p) => ({
      scans: [
        {
          scanId: randomUUID(),
          lotId: p.lotId,
          gateId: String(ctx.ids.eastGate),
          provenance: {
            source: 'hid',
            rawText: 'HGZ20260315-0002',
            keystrokeTimings: [],
            deviceTime: '2026-03-15T06:00:00.000Z',
            decoder: 'matrix',
          },
        },
      ],
    }),
    // Batches are the gate agents' backlog sync: devices only; people judge one scan at a time.
    expect: outcomes({ ok: ['device'] }),
  },
  {
    route: 'POST /api/v1/lots',
    url: () => '/api/v1/lots',
    body: (ctx) => ({ marketId: ctx.ids.wholesale, declaration }),
    expect: outcomes({ ok: ['device', 'admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] }),
  },
  {
    route: 'GET /api/v1/lots',
    prepare: async (ctx) => sharedTargets(ctx),
    url: () => '/api/v1/lots?limit=500',
    sees: (body) => has(body, shared?.lotId),
    expect: outcomes({
      ok: ['device', 'admin', 'w_admin', 'w_gate', 'cs_reg'],
      without: ['s_admin', 's_gate', 'zz_reg', 'w_vendor', 's_vendor'],
    }),
  },
  {
    route: 'GET /api/v1/lots/{id}',
    prepare: async (ctx) => sharedTargets(ctx),
    url: (_ctx, p) => `/api/v1/lots/${p.lotId}`,
    expect: outcomes({
      ok: ['device', 'admin', 'w_admin', 'w_gate', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 'zz_reg', 'w_vendor', 's_vendor', 'coop', 'farm'],
    }),
  },
  {
    route: 'POST /api/v1/lots/{id}/close',
    prepare: async (ctx) => ({ lotId: (await newLot(ctx)).lotId }),
    url: (_ctx, p) => `/api/v1/lots/${p.lotId}/close`,
    body: () => ({}),
    expect: outcomes({ ok: ['device', 'admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] }),
  },
  {
    // Undoing the last scan: its market's staff and the platform admin; devices only scan.
    route: 'POST /api/v1/scans/{id}/reversal',
    prepare: async (ctx) => {
      const { lotId } = await newLot(ctx, { declaration: { ...declaration, quantity: 300 } });
      const certificate = await issueTestCertificate(ctx.t, { issuerId: ctx.ids.coop, quantity: 100 });
      const scan = scanBody(lotId, ctx.ids.eastGate, certificate.text);
      await ctx.t.inject({ method: 'POST', url: '/api/v1/scans', payload: scan }, device(ctx));
      return { scanId: scan.scanId };
    },
    url: (_ctx, p) => `/api/v1/scans/${p.scanId}/reversal`,
    body: () => ({ reason: 'wrong_code' }),
    expect: outcomes({ ok: ['admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] }),
  },
  {
    route: 'POST /api/v1/lots/{id}/documents',
    prepare: async (ctx) => ({ lotId: (await newLot(ctx)).lotId }),
    url: (_ctx, p) => `/api/v1/lots/${p.lotId}/documents`,
    body: () => ({ documents: [{ type: 'second_document', kind: 'animal_quarantine', number: 'Q-001' }] }),
    // As closing: the lot's own market's staff and devices, and the platform admin.
    expect: outcomes({ ok: ['device', 'admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] }),
  },
  {
    // The review screen's photo: the lot's market's staff and its region's regulator; devices only upload.
    route: 'GET /api/v1/lots/{id}/documents/{documentId}/photo',
    prepare: async (ctx) => {
      photoLot ??= await newLot(ctx, {
        documents: [{ type: 'paper', fields: paper, photo: testPhotoBase64 }],
      });
      const lot = await ctx.t.prisma.lotDocument.findFirstOrThrow({ where: { lotId: photoLot.lotId } });
      return { lotId: photoLot.lotId, documentId: lot.id };
    },
    url: (_ctx, p) => `/api/v1/lots/${p.lotId}/documents/${p.documentId}/photo`,
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 'zz_reg'],
    }),
  },
  {
    route: 'POST /api/v1/lots/{id}/review',
    prepare: async (ctx) => ({
      lotId: (await newLot(ctx, { documents: [{ type: 'paper', fields: paper }] })).lotId,
    }),
    url: (_ctx, p) => `/api/v1/lots/${p.lotId}/review`,
    body: () => ({ decision: 'clear' }),
    expect: outcomes({ ok: ['admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] }),
  },
  {
    route: 'GET /api/v1/violations',
    prepare: async (ctx) => sharedTargets(ctx),
    url: () => '/api/v1/violations?limit=500',
    sees: (body) => has(body, shared?.violationId),
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'cs_reg'],
      without: ['s_admin', 's_gate', 'zz_reg'],
    }),
  },
  {
    route: 'GET /api/v1/violations/{id}',
    prepare: async (ctx) => sharedTargets(ctx),
    url: (_ctx, p) => `/api/v1/violations/${p.violationId}`,
    expect: outcomes({
      ok: ['admin', 'w_admin', 'w_gate', 'cs_reg'],
      hidden: ['s_admin', 's_gate', 'zz_reg', 'w_vendor', 's_vendor', 'coop', 'farm'],
    }),
  },
  {
    route: 'POST /api/v1/violations/{id}/transition',
    prepare: freshViolation,
    url: (_ctx, p) => `/api/v1/violations/${p.violationId}/transition`,
    body: () => ({ to: 'reviewing' }),
    expect: deciders,
  },
  {
    route: 'POST /api/v1/violations/{id}/assign',
    prepare: async (ctx) => ({
      ...(await freshViolation(ctx)),
      assigneeId: (await ctx.t.prisma.user.findUniqueOrThrow({ where: { username: 'changsha_regulator' } }))
        .id,
    }),
    url: (_ctx, p) => `/api/v1/violations/${p.violationId}/assign`,
    body: (_ctx, p) => ({ assigneeId: p.assigneeId }),
    expect: deciders,
  },
  {
    route: 'POST /api/v1/violations/{id}/notes',
    prepare: freshViolation,
    url: (_ctx, p) => `/api/v1/violations/${p.violationId}/notes`,
    body: () => ({ note: '已电话联系货主' }),
    expect: deciders,
  },
  {
    route: 'POST /api/v1/violations/{id}/evidence',
    prepare: freshViolation,
    url: (_ctx, p) => `/api/v1/violations/${p.violationId}/evidence`,
    body: () => ({ description: '现场照片', photo: testPhotoBase64 }),
    expect: deciders,
  },
  {
    route: 'GET /api/v1/trust',
    url: () => '/api/v1/trust',
    expect: outcomes({
      ok: ['device', 'admin', 'w_admin', 'w_gate', 's_admin', 's_gate', 'cs_reg', 'zz_reg'],
    }),
  },
  {
    route: 'GET /api/v1/verify',
    prepare: async (ctx) => ({
      code: (await ctx.t.prisma.certificate.findUniqueOrThrow({ where: { id: ctx.ids.coopCertificate } }))
        .code,
    }),
    url: (_ctx, p) => `/api/v1/verify?code=${encodeURIComponent(String(p.code))}`,
    expect: outcomes({
      ok: [
        'public',
        'device',
        'admin',
        'w_admin',
        'w_gate',
        'w_vendor',
        'coop',
        'cs_reg',
        's_admin',
        's_gate',
        's_vendor',
        'farm',
        'zz_reg',
      ],
    }),
  },
  {
    // Holding the code is what entitles a producer or vendor to its ledger; the public verification hides it.
    route: 'GET /api/v1/certificates/source',
    prepare: async (ctx) => ({
      code: (await ctx.t.prisma.certificate.findUniqueOrThrow({ where: { id: ctx.ids.coopCertificate } }))
        .code,
    }),
    url: (_ctx, p) => `/api/v1/certificates/source?code=${encodeURIComponent(String(p.code))}`,
    expect: outcomes({ ok: ['admin', 'w_vendor', 'coop', 's_vendor', 'farm'] }),
  },
];
