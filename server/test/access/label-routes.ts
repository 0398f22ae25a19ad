import { type PrinterSink, startPrinterSink } from '../certificate/printer-sink.ts';
import { type MatrixContext, type MatrixRow, outcomes } from './access-table.ts';

/** Certificates of 绿源合作社 (宁乡, 430182): the producer, admin and 长沙's regulator see and print them. */
const coopCertificateReaders = outcomes({
  ok: ['admin', 'coop', 'cs_reg'],
  hidden: ['farm', 'zz_reg', 'w_vendor', 's_vendor'],
});

let sink: Promise<PrinterSink> | undefined;

/**
 * One loopback label printer for the whole walk. The matrix's app is built before the printer's port is known,
 * so the port joins the app's printer ports here (config.printerPorts is the app's own array).
 */
async function printerPort(ctx: MatrixContext): Promise<number> {
  sink ??= startPrinterSink();
  const { port } = await sink;
  if (!ctx.t.config.printerPorts.includes(port)) ctx.t.config.printerPorts.push(port);
  return port;
}

export const labelRoutes: MatrixRow[] = [
  {
    route: 'GET /api/v1/certificates/{id}/label',
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}/label?format=tspl&size=60x80`,
    expect: coopCertificateReaders,
  },
  {
    route: 'POST /api/v1/certificates/{id}/print',
    prepare: async (ctx) => ({ port: await printerPort(ctx) }),
    url: (ctx) => `/api/v1/certificates/${ctx.ids.coopCertificate}/print`,
    body: (_ctx, p) => ({ host: '127.0.0.1', port: p.port, format: 'escpos' }),
    expect: coopCertificateReaders,
  },
];
