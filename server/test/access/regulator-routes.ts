import { type MatrixRow, outcomes } from './access-table.ts';

/**
 * The regulators' trace and figures. The coop's certificate (宁乡 430182) is 长沙's: its regulator traces it, 株洲's finds it
 * only through a use at a 株洲 market (none here). Its producer reads where it went (JSON only); another producer
 * is not told it exists, and nobody else traces at all.
 */
const tracers = outcomes({ ok: ['admin', 'cs_reg'], hidden: ['zz_reg'] });

export const regulatorRoutes: MatrixRow[] = [
  {
    route: 'GET /api/v1/certificates/{id}/trace',
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}/trace`,
    sees: (body, ctx) => (body as { certificateId?: string }).certificateId === ctx.ids.coopCertificate,
    expect: outcomes({ ok: ['admin', 'cs_reg', 'coop'], hidden: ['zz_reg', 'farm'] }),
  },
  {
    route: 'GET /api/v1/certificates/{id}/trace.xlsx',
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}/trace.xlsx`,
    expect: tracers,
  },
  {
    // Each regulator gets their own region's figures; nobody else gets any.
    route: 'GET /api/v1/figures',
    url: () => '/api/v1/figures?from=2026-03-15&to=2026-03-15',
    expect: outcomes({ ok: ['admin', 'cs_reg', 'zz_reg'] }),
  },
  {
    // The monthly report of the caller's own region, for the level above.
    route: 'GET /api/v1/figures/report.xlsx',
    url: () => '/api/v1/figures/report.xlsx?month=2026-03',
    expect: outcomes({ ok: ['admin', 'cs_reg', 'zz_reg'] }),
  },
];
