import type pg from 'pg';
import { canonicalJson, canonicalRow, chainHash, GENESIS_HASH } from '../audit/audit-log.ts';
import { fitsLedger } from '../ledger/ledger.ts';
import type { ScanReads } from './scan-reads.pg.ts';
import type { RecordResult, ScanStore, ScanWrite } from './scan-store.ts';

interface Pending {
  write: ScanWrite;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}

const maxBatch = 256;
/** Transaction-scoped lock serialising audit appends; the same key as the app's audit log. */
const auditLockKey = 7355608;

/** Prisma keeps DateTime as UTC wall time in TIMESTAMP(3); an ISO text cast to timestamp drops the Z likewise. */
const utc = (date: Date | null): string | null => date?.toISOString() ?? null;

/**
 * Group commit on raw `pg`, for PostgreSQL: scans arriving while a batch is being written are written together in
 * one transaction, with one statement per table however many scans it holds (`unnest` arrays) and no ORM query
 * compiler in the way. The ledger rows are locked (FOR UPDATE, in id order) and checked before anything is
 * written, so a scan whose charge no longer fits is refused alone. If the batch fails as a whole (a scan id sent
 * to two nodes at once, say), each of its scans is written on its own through `single`, which reports what went
 * wrong scan by scan.
 */
export function pgBatchedScanStore(reads: ScanReads, single: ScanStore): ScanStore {
  const { pool } = reads;
  let queue: Pending[] = [];
  let writing = false;

  async function writeBatch(client: pg.PoolClient, batch: Pending[]): Promise<RecordResult[]> {
    await client.query(`SELECT pg_advisory_xact_lock(${auditLockKey})`);
    const known = await client.query<{ id: string; response: string }>(
      `SELECT "id", "response" FROM "Scan" WHERE "id" = ANY($1::text[])`,
      [batch.map((p) => p.write.scan.id)],
    );
    const responses = new Map(known.rows.map((row) => [row.id, row.response]));
    const certificateIds = [
      ...new Set(batch.flatMap((p) => p.write.charges.map((c) => c.certificateId))),
    ].sort();
    const ledger = new Map<string, { quantity: number; usedQuantity: number; status: string }>();
    if (certificateIds.length > 0) {
      const rows = await client.query<{ id: string; quantity: number; usedQuantity: number; status: string }>(
        `SELECT "id", "quantity", "usedQuantity", "status" FROM "Certificate"
          WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR UPDATE`,
        [certificateIds],
      );
      for (const row of rows.rows) ledger.set(row.id, row);
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
      await client.query(
        `UPDATE "Certificate" AS c SET "usedQuantity" = c."usedQuantity" + v.q
          FROM unnest($1::text[], $2::float8[]) AS v(id, q) WHERE c."id" = v.id`,
        [[...charges.keys()], [...charges.values()]],
      );
    }
    const scans = stored.map((w) => w.scan);
    await client.query(
      `INSERT INTO "Scan" ("id","lotId","deviceId","marketId","source","rawText","symbology","keystrokeTimings",
        "deviceTime","receivedAt","codeKind","certificateId","provisional","provisionalOutcome","outcome","reasons",
        "conflict","response")
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[],
          $8::text[], $9::timestamp[], $10::timestamp[], $11::text[], $12::text[], $13::bool[], $14::text[],
          $15::text[], $16::text[], $17::bool[], $18::text[])`,
      [
        scans.map((s) => s.id),
        scans.map((s) => s.lotId),
        scans.map((s) => s.deviceId),
        scans.map((s) => s.marketId),
        scans.map((s) => s.source),
        scans.map((s) => s.rawText),
        scans.map((s) => s.symbology),
        scans.map((s) => s.keystrokeTimings),
        scans.map((s) => utc(s.deviceTime)),
        scans.map((s) => utc(s.receivedAt)),
        scans.map((s) => s.codeKind),
        scans.map((s) => s.certificateId),
        scans.map((s) => s.provisional),
        scans.map((s) => s.provisionalOutcome),
        scans.map((s) => s.outcome),
        scans.map((s) => s.reasons),
        scans.map((s) => s.conflict),
        scans.map((s) => s.response),
      ],
    );
    await client.query(
      `INSERT INTO "LotDocument" ("id","lotId","type","scanId","certificateId","fields","quantityClaim","createdAt")
        SELECT v.id, v.lot, 'code', v.scan, v.cert, '{}', v.claim, v.at
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamp[])
          AS v(id, lot, scan, cert, claim, at)`,
      [
        stored.map((w) => w.document.id),
        stored.map((w) => w.scan.lotId),
        stored.map((w) => w.scan.id),
        stored.map((w) => w.document.certificateId),
        stored.map(
          (w) => w.charges.find((c) => c.certificateId === w.document.certificateId)?.quantity ?? null,
        ),
        stored.map((w) => utc(w.at)),
      ],
    );
    for (const w of stored) {
      for (const charge of w.charges) {
        if (charge.certificateId === w.document.certificateId) continue;
        await client.query(
          `UPDATE "LotDocument" SET "quantityClaim" = COALESCE("quantityClaim", 0) + $1
            WHERE "id" = (SELECT "id" FROM "LotDocument" WHERE "lotId" = $2 AND "certificateId" = $3
              ORDER BY "createdAt", "id" LIMIT 1)`,
          [charge.quantity, w.scan.lotId, charge.certificateId],
        );
      }
    }
    await client.query(
      `INSERT INTO "Verdict" ("id","lotId","outcome","rulesVersion","source","decidedAt")
        SELECT v.id, v.lot, v.outcome, v.rules, 'server', v.at
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamp[]) AS v(id, lot, outcome, rules, at)`,
      [
        stored.map((w) => w.verdict.id),
        stored.map((w) => w.scan.lotId),
        stored.map((w) => w.verdict.outcome),
        stored.map((w) => w.verdict.rulesVersion),
        stored.map((w) => utc(w.at)),
      ],
    );
    const reasons = stored.flatMap((w) => w.verdict.reasons.map((r) => ({ ...r, verdictId: w.verdict.id })));
    if (reasons.length > 0) {
      await client.query(
        `INSERT INTO "VerdictReason" ("verdictId","code","documentIndex","detail")
          SELECT v.id, v.code, v.idx, v.detail
          FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) WITH ORDINALITY AS v(id, code, idx, detail, n)
          ORDER BY n`,
        [
          reasons.map((r) => r.verdictId),
          reasons.map((r) => r.code),
          reasons.map((r) => r.documentIndex),
          reasons.map((r) => r.detail),
        ],
      );
    }
    // The last verdict of a lot in this batch is the one that stands.
    const lots = new Map(stored.map((w) => [w.scan.lotId, w]));
    await client.query(
      `UPDATE "Lot" AS l SET "status" = 'judged', "outcome" = v.outcome, "judgedAt" = v.at
        FROM unnest($1::text[], $2::text[], $3::timestamp[]) AS v(id, outcome, at) WHERE l."id" = v.id`,
      [
        [...lots.keys()],
        [...lots.values()].map((w) => w.lotOutcome),
        [...lots.values()].map((w) => utc(w.at)),
      ],
    );
    const violations = stored.flatMap((w) => (w.violation ? [{ w, v: w.violation }] : []));
    if (violations.length > 0) {
      await client.query(
        `INSERT INTO "Violation" ("id","lotId","scanId","marketId","regionCode","reason","status","createdAt","updatedAt")
          SELECT v.id, v.lot, v.scan, v.market, v.region, v.reason, 'open', v.at, v.at
          FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamp[])
            AS v(id, lot, scan, market, region, reason, at)`,
        [
          violations.map(({ v }) => v.id),
          violations.map(({ w }) => w.scan.lotId),
          violations.map(({ w }) => w.scan.id),
          violations.map(({ w }) => w.scan.marketId),
          violations.map(({ v }) => v.regionCode),
          violations.map(({ v }) => v.reason),
          violations.map(({ w }) => utc(w.at)),
        ],
      );
      await client.query(
        `INSERT INTO "ViolationEvent" ("violationId","type","toStatus","evidence","at")
          SELECT v.id, 'created', 'open', v.evidence, v.at
          FROM unnest($1::text[], $2::text[], $3::timestamp[]) WITH ORDINALITY AS v(id, evidence, at, n) ORDER BY n`,
        [
          violations.map(({ v }) => v.id),
          violations.map(({ v }) => v.evidence),
          violations.map(({ w }) => utc(w.at)),
        ],
      );
    }
    const last = await client.query<{ hash: string }>(
      `SELECT "hash" FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1`,
    );
    let prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
    const audit = stored.map((w) => {
      const row = { at: w.at, ...w.audit, data: canonicalJson(w.audit.data) };
      const hash = chainHash(prevHash, canonicalRow(row));
      const entry = { ...row, prevHash, hash };
      prevHash = hash;
      return entry;
    });
    // Rows are numbered in chain order: the sequence is drawn as the ordered rows are inserted.
    await client.query(
      `INSERT INTO "AuditLog" ("at","actor","action","entity","entityId","data","prevHash","hash")
        SELECT v.at, v.actor, v.action, v.entity, v.eid, v.data, v.prev, v.hash
        FROM unnest($1::timestamp[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
          $8::text[]) WITH ORDINALITY AS v(at, actor, action, entity, eid, data, prev, hash, n) ORDER BY n`,
      [
        audit.map((a) => utc(a.at)),
        audit.map((a) => a.actor),
        audit.map((a) => a.action),
        audit.map((a) => a.entity),
        audit.map((a) => a.entityId),
        audit.map((a) => a.data),
        audit.map((a) => a.prevHash),
        audit.map((a) => a.hash),
      ],
    );
    return results;
  }

  async function commit(batch: Pending[]): Promise<RecordResult[]> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const results = await writeBatch(client, batch);
      await client.query('COMMIT');
      client.release();
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      throw error;
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await commit(batch);
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
    answered: (scanId) => reads.answered(scanId),
    lotContext: (lotId) => reads.lotContext(lotId),
    ledger: (ids) => reads.ledger(ids),
    record(write) {
      return new Promise<RecordResult>((resolve, reject) => {
        queue.push({ write, resolve, reject });
        if (!writing) void drain();
      });
    },
    async close() {
      while (writing) await new Promise((r) => setTimeout(r, 10));
      await single.close();
      await reads.close();
    },
  };
}
