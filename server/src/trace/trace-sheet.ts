import type { CertificateTrace } from '@liangzheng/domain';
import { wallClockDate } from '@liangzheng/domain/time/local-date';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
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

/**
 * What a person reads in the 结果 column: verdicts in the gate's words, and the certificate's and lot's states;
 * a value not listed here is shown as it is stored rather than hidden.
 */
const outcomeWords: Record<string, string> = {
  accept: '放行',
  review: '人工复核',
  reject: '拒绝',
  pending: '待续扫',
  valid: '有效',
  void: '已作废',
  open: '待判定',
  judged: '已判定',
  closed: '已关闭',
};

function outcomeWord(outcome: string): string {
  return outcomeWords[outcome] ?? outcome;
}

function arrivalKey(lotId: string, certificateId: string): string {
  return `${lotId} ${certificateId}`;
}

/** One arrival per lot and certificate, though a lot may hold several documents of one certificate. */
function arrivals(trace: CertificateTrace): CertificateTrace['lots'] {
  const byKey = new Map<string, CertificateTrace['lots'][number]>();
  for (const lot of trace.lots) {
    const key = arrivalKey(lot.lotId, lot.certificateId);
    const earlier = byKey.get(key);
    if (!earlier) byKey.set(key, { ...lot });
    else if (lot.quantityClaim !== null)
      earlier.quantityClaim = (earlier.quantityClaim ?? 0) + lot.quantityClaim;
  }
  return [...byKey.values()];
}

/**
 * The trace as events, oldest first; the same certificate's events stay together when times tie. A gate scan into a
 * lot is that lot's arrival, already a 入场 row (which names the scan): only scans outside the trace's lots, such as
 * a check at a stall, are rows of their own.
 */
export function traceEvents(trace: CertificateTrace): TraceEvent[] {
  const depthOf = new Map(trace.certificates.map((c) => [c.id, c.depth]));
  const lots = arrivals(trace);
  const arrived = new Set(lots.map((l) => arrivalKey(l.lotId, l.certificateId)));
  const arrivalScans = new Map<string, string[]>();
  const otherScans = trace.scans.filter((s) => {
    const key = s.lotId === null ? undefined : arrivalKey(s.lotId, s.certificateId);
    if (key === undefined || !arrived.has(key)) return true;
    arrivalScans.set(key, [...(arrivalScans.get(key) ?? []), s.scanId]);
    return false;
  });
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
      outcome: outcomeWord(c.status),
    })),
    ...lots.map((l) => ({
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
      reference: [l.lotId, ...(arrivalScans.get(arrivalKey(l.lotId, l.certificateId)) ?? [])].join('; '),
      outcome: outcomeWord(l.outcome ?? l.status),
    })),
    ...otherScans.map((s) => ({
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
      outcome: outcomeWord(s.outcome),
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

/**
 * Turns on the filter buttons over the header row: the sheet is for sorting and narrowing down, and
 * write-excel-file writes no autoFilter of its own. It belongs right after the cell data (ECMA-376 CT_Worksheet).
 */
export function withAutoFilter(workbook: Buffer, columnCount: number, rowCount: number): Buffer {
  const files = unzipSync(new Uint8Array(workbook));
  const sheetPath = 'xl/worksheets/sheet1.xml';
  const lastColumn = String.fromCharCode('A'.charCodeAt(0) + columnCount - 1);
  const sheet = strFromU8(files[sheetPath]!).replace(
    '</sheetData>',
    `</sheetData><autoFilter ref="A1:${lastColumn}${rowCount}"/>`,
  );
  files[sheetPath] = strToU8(sheet);
  return Buffer.from(zipSync(files));
}

/** The trace as an .xlsx workbook: one sheet, header row frozen and filterable, a column per key data element. */
export async function traceWorkbook(trace: CertificateTrace, timeZone: string): Promise<Buffer> {
  const events = traceEvents(trace);
  const sheetColumns = columns(timeZone);
  const workbook = await writeXlsxFile(events, {
    columns: sheetColumns,
    sheet: `trace ${trace.certificateId}`,
    stickyRowsCount: 1,
  }).toBuffer();
  return withAutoFilter(workbook, sheetColumns.length, events.length + 1);
}
