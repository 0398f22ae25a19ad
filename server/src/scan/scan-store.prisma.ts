import type { AuditLog } from '../audit/audit-log.ts';
import type { LedgerEntry } from '../ledger/ledger.ts';
import { ledgerTolerance } from '../ledger/ledger.ts';
import type { Db } from '../storage/db.ts';
import { type DocumentRow, type LotRow, toLotContext } from './scan-store.sqlite.ts';
import type { Answered, RecordResult, ScanStore } from './scan-store.ts';

class LedgerConflict extends Error {
  constructor(readonly certificateId: string) {
    super(`ledger conflict on ${certificateId}`);
  }
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown })?.code === 'P2002';

/**
 * The scan path through Prisma, for PostgreSQL (and SQLite when no raw handle is wanted). One interactive
 * transaction per scan; the ledger charge is a conditional UPDATE, so concurrent scans from several nodes can
 * never push a certificate past its quantity.
 */
export function createPrismaScanStore(db: Db, audit: AuditLog): ScanStore {
  async function readAnswered(scanId: string): Promise<Answered | undefined> {
    const row = await db.scan.findUnique({
      where: { id: scanId },
      select: { response: true, deviceId: true, marketId: true },
    });
    return row ?? undefined;
  }

  return {
    answered: readAnswered,
    async lotContext(lotId) {
      const lot = await db.lot.findUnique({
        where: { id: lotId },
        include: {
          market: { select: { regionCode: true } },
          documents: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        },
      });
      if (!lot) return undefined;
      const scanIds = lot.documents.flatMap((d) => (d.scanId ? [d.scanId] : []));
      const scans = scanIds.length
        ? await db.scan.findMany({ where: { id: { in: scanIds } }, select: { id: true, rawText: true } })
        : [];
      const texts = new Map(scans.map((s) => [s.id, s.rawText]));
      const row: LotRow = { ...lot, regionCode: lot.market.regionCode };
      const documents: DocumentRow[] = lot.documents.map((d) => ({
        ...d,
        rawText: d.scanId ? (texts.get(d.scanId) ?? null) : null,
      }));
      return toLotContext(row, documents);
    },
    async ledger(certificateIds) {
      const rows = await db.certificate.findMany({
        where: { id: { in: [...certificateIds] } },
        select: { id: true, quantity: true, usedQuantity: true, status: true },
      });
      return rows.map(
        (row): LedgerEntry => ({
          certificateId: row.id,
          quantity: row.quantity,
          usedQuantity: row.usedQuantity,
          status: row.status,
        }),
      );
    },
    async record(write): Promise<RecordResult> {
      const { scan } = write;
      try {
        await db.$transaction(async (tx) => {
          await tx.scan.create({ data: scan });
          let ownClaim: number | null = null;
          for (const charge of write.charges) {
            const updated =
              await tx.$executeRaw`UPDATE "Certificate" SET "usedQuantity" = "usedQuantity" + ${charge.quantity}
              WHERE "id" = ${charge.certificateId} AND "status" = 'valid'
                AND "usedQuantity" + ${charge.quantity} <= "quantity" + ${ledgerTolerance}`;
            if (updated === 0) throw new LedgerConflict(charge.certificateId);
            if (charge.certificateId === write.document.certificateId) {
              ownClaim = charge.quantity;
              continue;
            }
            const earlier = await tx.lotDocument.findFirst({
              where: { lotId: scan.lotId, certificateId: charge.certificateId },
              orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
              select: { id: true, quantityClaim: true },
            });
            if (earlier) {
              await tx.lotDocument.update({
                where: { id: earlier.id },
                data: { quantityClaim: (earlier.quantityClaim ?? 0) + charge.quantity },
              });
            }
          }
          await tx.lotDocument.create({
            data: {
              id: write.document.id,
              lotId: scan.lotId,
              type: 'code',
              scanId: scan.id,
              certificateId: write.document.certificateId,
              quantityClaim: ownClaim,
              createdAt: write.at,
            },
          });
          await tx.verdict.create({
            data: {
              id: write.verdict.id,
              lotId: scan.lotId,
              outcome: write.verdict.outcome,
              rulesVersion: write.verdict.rulesVersion,
              source: 'server',
              decidedAt: write.at,
              reasons: { create: write.verdict.reasons },
            },
          });
          await tx.lot.update({
            where: { id: scan.lotId },
            data: { status: write.lotStatus, outcome: write.lotOutcome, judgedAt: write.judgedAt },
          });
          if (write.violation) {
            const v = write.violation;
            await tx.violation.create({
              data: {
                id: v.id,
                lotId: scan.lotId,
                scanId: scan.id,
                marketId: scan.marketId,
                regionCode: v.regionCode,
                reason: v.reason,
                status: 'open',
                createdAt: write.at,
                updatedAt: write.at,
                events: { create: { type: 'created', toStatus: 'open', evidence: v.evidence, at: write.at } },
              },
            });
          }
          await audit.append(tx, write.audit);
        });
        return { kind: 'stored' };
      } catch (error) {
        if (error instanceof LedgerConflict)
          return { kind: 'ledger_conflict', certificateId: error.certificateId };
        if (isUniqueViolation(error)) {
          const earlier = await readAnswered(scan.id);
          if (earlier !== undefined) return { kind: 'duplicate', earlier };
        }
        throw error;
      }
    },
    async close() {},
  };
}
