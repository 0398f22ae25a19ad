import { canonicalJson, canonicalRow, chainHash, GENESIS_HASH } from '../audit/audit-log.ts';
import { fitsLedger } from '../ledger/ledger.ts';
import type { Db, Tx } from '../storage/db.ts';
import type { RecordResult, ScanStore, ScanWrite } from './scan-store.ts';

interface Pending {
  write: ScanWrite;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}

const maxBatch = 256;
/** Transaction-scoped lock serialising audit appends; the same key as the app's audit log. */
const auditLockKey = 7355608;

/**
 * Group commit through Prisma, for PostgreSQL: scans arriving while a batch is being written are written
 * together in one transaction with a fixed number of statements, however many scans it holds. The ledger rows
 * are locked (FOR UPDATE, in id order) and checked before anything is written, so a scan whose charge no
 * longer fits is refused alone. If the batch fails as a whole (a scan id sent to two nodes at once, say), each
 * of its scans is written on its own through `single`, which reports what went wrong scan by scan.
 */
export function batchedScanStore(db: Db, single: ScanStore): ScanStore {
  let queue: Pending[] = [];
  let writing = false;

  async function writeBatch(tx: Tx, batch: Pending[]): Promise<RecordResult[]> {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${auditLockKey})`);
    const ids = batch.map((p) => p.write.scan.id);
    const known = await tx.scan.findMany({
      where: { id: { in: ids } },
      select: { id: true, response: true },
    });
    const responses = new Map(known.map((row) => [row.id, row.response]));
    const certificateIds = [
      ...new Set(batch.flatMap((p) => p.write.charges.map((c) => c.certificateId))),
    ].sort();
    const ledger = new Map<string, { quantity: number; usedQuantity: number; status: string }>();
    if (certificateIds.length > 0) {
      const rows = await tx.$queryRaw<
        { id: string; quantity: number; usedQuantity: number; status: string }[]
      >`
        SELECT "id", "quantity", "usedQuantity", "status" FROM "Certificate"
        WHERE "id" = ANY(${certificateIds}::text[]) ORDER BY "id" FOR UPDATE`;
      for (const row of rows) ledger.set(row.id, row);
    }

    const results: RecordResult[] = [];
    const stored: ScanWrite[] = [];
    const charges = new Map<string, number>();
    for (const { write } of batch) {
      const earlier = responses.get(write.scan.id);
      if (earlier !== undefined) {
        results.push({ kind: 'duplicate', response: earlier });
        continue;
      }
      const refused = write.charges.find((charge) => {
        const entry = ledger.get(charge.certificateId);
        return entry?.status !== 'valid' || !fitsLedger(entry, charge.quantity);
      });
      if (refused) {
        results.push({ kind: 'ledger_conflict', certificateId: refused.certificateId });
        continue;
      }
      for (const charge of write.charges) {
        ledger.get(charge.certificateId)!.usedQuantity += charge.quantity;
        charges.set(charge.certificateId, (charges.get(charge.certificateId) ?? 0) + charge.quantity);
      }
      responses.set(write.scan.id, write.scan.response);
      stored.push(write);
      results.push({ kind: 'stored' });
    }
    if (stored.length === 0) return results;

    if (charges.size > 0) {
      await tx.$executeRaw`UPDATE "Certificate" AS c SET "usedQuantity" = c."usedQuantity" + v.q
        FROM (SELECT unnest(${[...charges.keys()]}::text[]) AS id, unnest(${[...charges.values()]}::float8[]) AS q) v
        WHERE c."id" = v.id`;
    }
    await tx.scan.createMany({ data: stored.map((w) => w.scan) });
    await tx.lotDocument.createMany({
      data: stored.map((w) => ({
        id: w.document.id,
        lotId: w.scan.lotId,
        type: 'code',
        scanId: w.scan.id,
        certificateId: w.document.certificateId,
        quantityClaim: w.charges.find((c) => c.certificateId === w.document.certificateId)?.quantity ?? null,
        createdAt: w.at,
      })),
    });
    for (const w of stored) {
      for (const charge of w.charges) {
        if (charge.certificateId === w.document.certificateId) continue;
        const first = await tx.lotDocument.findFirst({
          where: { lotId: w.scan.lotId, certificateId: charge.certificateId },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          select: { id: true, quantityClaim: true },
        });
        if (first) {
          await tx.lotDocument.update({
            where: { id: first.id },
            data: { quantityClaim: (first.quantityClaim ?? 0) + charge.quantity },
          });
        }
      }
    }
    await tx.verdict.createMany({
      data: stored.map((w) => ({
        id: w.verdict.id,
        lotId: w.scan.lotId,
        outcome: w.verdict.outcome,
        rulesVersion: w.verdict.rulesVersion,
        source: 'server',
        decidedAt: w.at,
      })),
    });
    const reasons = stored.flatMap((w) => w.verdict.reasons.map((r) => ({ ...r, verdictId: w.verdict.id })));
    if (reasons.length > 0) await tx.verdictReason.createMany({ data: reasons });
    // The last verdict of a lot in this batch is the one that stands.
    const lotOutcome = new Map(stored.map((w) => [w.scan.lotId, { outcome: w.lotOutcome, at: w.at }]));
    for (const outcome of ['accept', 'review', 'reject']) {
      const lots = [...lotOutcome].filter(([, v]) => v.outcome === outcome).map(([id]) => id);
      if (lots.length === 0) continue;
      await tx.lot.updateMany({
        where: { id: { in: lots } },
        data: { status: 'judged', outcome, judgedAt: stored[stored.length - 1]!.at },
      });
    }
    const violations = stored.flatMap((w) => (w.violation ? [{ w, v: w.violation }] : []));
    if (violations.length > 0) {
      await tx.violation.createMany({
        data: violations.map(({ w, v }) => ({
          id: v.id,
          lotId: w.scan.lotId,
          scanId: w.scan.id,
          marketId: w.scan.marketId,
          regionCode: v.regionCode,
          reason: v.reason,
          status: 'open',
          createdAt: w.at,
          updatedAt: w.at,
        })),
      });
      await tx.violationEvent.createMany({
        data: violations.map(({ w, v }) => ({
          violationId: v.id,
          type: 'created',
          toStatus: 'open',
          evidence: v.evidence,
          at: w.at,
        })),
      });
    }
    const last = await tx.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
    let prevHash = last?.hash ?? GENESIS_HASH;
    const audit = stored.map((w) => {
      const row = { at: w.at, ...w.audit, data: canonicalJson(w.audit.data) };
      const hash = chainHash(prevHash, canonicalRow(row));
      const entry = { ...row, prevHash, hash };
      prevHash = hash;
      return entry;
    });
    await tx.auditLog.createMany({ data: audit });
    return results;
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await db.$transaction((tx) => writeBatch(tx, batch), {
          timeout: 30_000,
          maxWait: 10_000,
        });
        batch.forEach((pending, i) => {
          pending.resolve(results[i]!);
        });
      } catch {
        for (const pending of batch) single.record(pending.write).then(pending.resolve, pending.reject);
      }
    }
    writing = false;
  }

  return {
    answered: (scanId) => single.answered(scanId),
    lotContext: (lotId) => single.lotContext(lotId),
    ledger: (ids) => single.ledger(ids),
    record(write) {
      return new Promise<RecordResult>((resolve, reject) => {
        queue.push({ write, resolve, reject });
        if (!writing) void drain();
      });
    },
    async close() {
      while (writing) await new Promise((r) => setTimeout(r, 10));
      await single.close();
    },
  };
}
