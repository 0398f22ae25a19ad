import type { CertificateTrace } from '@liangzheng/domain';
import { wallClockDate } from '@liangzheng/domain/time/local-date';
import writeXlsxFile, { type Column } from 'write-excel-file/node';

/**
 * One critical tracking event per row, in the manner of an FSMA 204 sortable spreadsheet: what happened to which
 * traceability lot code (the certificate id), how much, where and when, and the reference that links the rows.
 */
export interface TraceEvent {
  event: 'issued' | 'repacked' | 'received' | 'scanned';
  certificateId: string;
  depth: number;
  product: string;
  quantity: number | null;
  unit: string;
  location: string;
  region: string;
  at: Date;
  reference: string;
  outcome: string;
}

const eventNames: Record<TraceEvent['event'], string> = {
  issued: '出具 issued',
  repacked: '分装 repacked',
  received: '入场 received',
  scanned: '查验 scanned',
};

/** The trace as events, oldest first; the same certificate's events stay together when times tie. */
export function traceEvents(trace: CertificateTrace): TraceEvent[] {
  const depthOf = new Map(trace.certificates.map((c) => [c.id, c.depth]));
  const events: TraceEvent[] = [
    ...trace.certificates.map((c) => ({
      event: c.parents.length > 0 ? ('repacked' as const) : ('issued' as const),
      certificateId: c.id,
      depth: c.depth,
      product: c.productName,
      quantity: c.quantity,
      unit: c.unit,
      location: c.issuerName,
      region: c.issuerRegion,
      at: new Date(c.issuedAt),
      reference: c.parents.map((p) => `${p.certificateId} × ${p.quantity}`).join('; '),
      outcome: c.status,
    })),
    ...trace.lots.map((l) => ({
      event: 'received' as const,
      certificateId: l.certificateId,
      depth: depthOf.get(l.certificateId) ?? 0,
      product: l.productName,
      quantity: l.quantityClaim ?? l.quantity,
      unit: l.unit,
      location: [l.marketName, l.gateName, l.stallNumber && `摊位 ${l.stallNumber}`]
        .filter(Boolean)
        .join(' · '),
      region: l.regionCode,
      at: new Date(l.openedAt),
      reference: l.lotId,
      outcome: l.outcome ?? l.status,
    })),
    ...trace.scans.map((s) => ({
      event: 'scanned' as const,
      certificateId: s.certificateId,
      depth: depthOf.get(s.certificateId) ?? 0,
      product: '',
      quantity: null,
      unit: '',
      location: [s.marketName, s.stallNumber && `摊位 ${s.stallNumber}`].filter(Boolean).join(' · '),
      region: '',
      at: new Date(s.receivedAt),
      reference: s.lotId ? `${s.scanId} (${s.lotId})` : s.scanId,
      outcome: s.outcome,
    })),
  ];
  return events.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() || a.depth - b.depth || a.certificateId.localeCompare(b.certificateId),
  );
}

/** Times read on the market's clock (`timeZone`), the way the people who use the sheet read them. */
const columns = (timeZone: string): Column<TraceEvent>[] => [
  { header: '事件 Event', cell: (e) => ({ value: eventNames[e.event] }), width: 14 },
  { header: '合格证 Traceability lot code', cell: (e) => ({ value: e.certificateId }), width: 20 },
  { header: '层级 Level', cell: (e) => ({ value: e.depth, type: Number }), width: 8 },
  { header: '产品 Product', cell: (e) => ({ value: e.product }), width: 16 },
  { header: '数量 Quantity', cell: (e) => ({ value: e.quantity ?? undefined, type: Number }), width: 12 },
  { header: '单位 Unit', cell: (e) => ({ value: e.unit }), width: 8 },
  { header: '地点 Location', cell: (e) => ({ value: e.location }), width: 36 },
  { header: '区划 Region', cell: (e) => ({ value: e.region }), width: 10 },
  {
    header: `时间 Date (${timeZone})`,
    cell: (e) => ({ value: wallClockDate(e.at, timeZone), type: Date, format: 'yyyy-mm-dd hh:mm:ss' }),
    width: 24,
  },
  { header: '关联 Reference', cell: (e) => ({ value: e.reference }), width: 40 },
  { header: '结果 Outcome', cell: (e) => ({ value: e.outcome }), width: 10 },
];

/** The trace as an .xlsx workbook: one sheet, header row frozen, a column per key data element. */
export async function traceWorkbook(trace: CertificateTrace, timeZone: string): Promise<Buffer> {
  return writeXlsxFile(traceEvents(trace), {
    columns: columns(timeZone),
    sheet: `trace ${trace.certificateId}`,
    stickyRowsCount: 1,
  }).toBuffer();
}
