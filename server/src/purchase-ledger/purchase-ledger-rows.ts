import { outcomeWords, type PurchaseLedgerRow } from '@liangzheng/domain';
import { formatLocalIsoDate, localDateTime } from '@liangzheng/domain/time/local-date';
import type { Db } from '../storage/db.ts';

/** Which arrivals the ledger lists: one market (one stall of it), `openedAt` in [start, end). */
export interface LedgerFilter {
  marketId: number;
  stallId?: number;
  start: Date;
  end: Date;
}

/**
 * Lots read per query: a page is all the export ever holds, whatever the range. Its documents are loaded with an
 * IN list of its lot ids, which stays under the SQLite driver adapter's bind-value limit (P2029 at 1,000).
 */
export const LEDGER_PAGE_SIZE = 500;

const secondDocumentNames: Record<string, string> = {
  animal_quarantine: '动物检疫合格证明',
  meat_inspection: '肉品品质检验合格证',
  test_report: '检测报告',
  customs: '入境货物检验检疫证明',
};
/** The verdict in the gate's words (通过, 需人工复核, 拒绝), from the one table in the domain. */
const outcomeNames: Record<string, string> = outcomeWords['zh-CN'];

const pad = (n: number) => String(n).padStart(2, '0');

const lotPage = (db: Db, filter: LedgerFilter, after: { openedAt: Date; id: string } | null) =>
  db.lot.findMany({
    where: {
      marketId: filter.marketId,
      ...(filter.stallId ? { stallId: filter.stallId } : {}),
      openedAt: { gte: filter.start, lt: filter.end },
      // keyset paging on (openedAt, id): each page starts where the last ended, without OFFSET
      ...(after
        ? {
            OR: [{ openedAt: { gt: after.openedAt } }, { openedAt: after.openedAt, id: { gt: after.id } }],
          }
        : {}),
    },
    orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
    take: LEDGER_PAGE_SIZE,
    select: {
      id: true,
      openedAt: true,
      productName: true,
      quantity: true,
      unit: true,
      supplier: true,
      supplierAddress: true,
      supplierContact: true,
      status: true,
      outcome: true,
      stall: { select: { number: true } },
      documents: {
        select: { type: true, certificateId: true, secondKind: true, fields: true },
        orderBy: { createdAt: 'asc' },
      },
    },
  });
type LotRow = Awaited<ReturnType<typeof lotPage>>[number];
type CertificateRow = { id: string; originText: string; originRegion: string; issuerName: string };

function paperFields(fields: string): Record<string, unknown> {
  try {
    return JSON.parse(fields) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What was checked, in words: each certificate read, paper certificate and second document, in order. */
function documentsChecked(lot: LotRow, certificates: Map<string, CertificateRow>): string[] {
  return lot.documents.map((d) => {
    if (d.type === 'paper') return `纸质合格证 (${String(paperFields(d.fields).issuerName ?? '')})`;
    if (d.type === 'second_document') {
      const number = paperFields(d.fields).number;
      return `${secondDocumentNames[d.secondKind ?? ''] ?? d.secondKind} ${String(number ?? '')}`.trim();
    }
    const certificate = d.certificateId ? certificates.get(d.certificateId) : undefined;
    return certificate
      ? `合格证 ${certificate.id} (${certificate.issuerName})`
      : '合格证 (未识别 unreadable)';
  });
}

function originOf(lot: LotRow, certificates: Map<string, CertificateRow>): string {
  const origins = lot.documents.map((d) => {
    if (d.type === 'paper') return String(paperFields(d.fields).origin ?? '');
    const certificate = d.certificateId ? certificates.get(d.certificateId) : undefined;
    return certificate ? certificate.originText || certificate.originRegion : '';
  });
  return [...new Set(origins.filter(Boolean))].join('；');
}

function toRow(lot: LotRow, certificates: Map<string, CertificateRow>, timeZone: string): PurchaseLedgerRow {
  const local = localDateTime(lot.openedAt, timeZone);
  return {
    date: formatLocalIsoDate(lot.openedAt, timeZone),
    time: `${pad(local.hour)}:${pad(local.minute)}`,
    stall: lot.stall?.number ?? '',
    productName: lot.productName,
    quantity: lot.quantity,
    unit: lot.unit,
    supplier: lot.supplier,
    supplierAddress: lot.supplierAddress,
    supplierContact: lot.supplierContact,
    origin: originOf(lot, certificates),
    documents: documentsChecked(lot, certificates).join('；'),
    outcome: lot.outcome ? (outcomeNames[lot.outcome] ?? lot.outcome) : '未判定',
    lotId: lot.id,
  };
}

/**
 * The ledger's rows a page at a time, oldest first: one query for the lots and one for the certificates they
 * name, per page. Only the current page is held, so a year of a busy market streams in bounded memory.
 */
export async function* purchaseLedgerPages(
  db: Db,
  filter: LedgerFilter,
  timeZone: string,
): AsyncGenerator<PurchaseLedgerRow[]> {
  let after: { openedAt: Date; id: string } | null = null;
  for (;;) {
    const lots = await lotPage(db, filter, after);
    if (lots.length === 0) return;
    const ids = [
      ...new Set(lots.flatMap((l) => l.documents.map((d) => d.certificateId).filter((id) => id !== null))),
    ];
    const certificates = new Map(
      (
        await db.certificate.findMany({
          where: { id: { in: ids } },
          select: { id: true, originText: true, originRegion: true, issuerName: true },
        })
      ).map((c) => [c.id, c]),
    );
    yield lots.map((lot) => toRow(lot, certificates, timeZone));
    const last = lots[lots.length - 1]!;
    after = { openedAt: last.openedAt, id: last.id };
    if (lots.length < LEDGER_PAGE_SIZE) return;
  }
}

export const countLedgerRows = (db: Db, filter: LedgerFilter) =>
  db.lot.count({
    where: {
      marketId: filter.marketId,
      ...(filter.stallId ? { stallId: filter.stallId } : {}),
      openedAt: { gte: filter.start, lt: filter.end },
    },
  });
