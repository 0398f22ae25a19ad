import type pg from 'pg';
import { canonicalJson, canonicalRow, chainHash, GENESIS_HASH } from '../audit/audit-log.ts';
import { fitsLedger, ledgerTolerance } from '../ledger/ledger.ts';
import type { ScanReads } from './scan-reads.pg.ts';
import type { Answered, RecordResult, ScanStore, ScanWrite } from './scan-store.ts';

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

/** A batch charged fewer ledger rows than it checked: something moved the ledger past the lock. */
class LedgerMoved extends Error {
  override readonly name = 'LedgerMoved';
}

/**
 * What a batch must know before it decides anything, read in one statement once the audit lock is held: which of
 * its scan ids are stored already, the ledger rows it charges (locked FOR UPDATE, in id order), and the audit
 * chain's head. Each row says which of the three it answers in `kind`.
 */
const batchReads = `WITH ledger AS MATERIALIZED (
      SELECT "id", "quantity", "usedQuantity", "status" FROM "Certificate"
      WHERE "id" = ANY($2::text[]) ORDER BY "id" FOR UPDATE
    )
    SELECT 'known' AS "kind", "id", "response" AS "text", NULL::float8 AS "quantity", NULL::float8 AS "usedQuantity",
        "deviceId", "marketId"
      FROM "Scan" WHERE "id" = ANY($1::text[])
    UNION ALL
    SELECT 'ledger', "id", "status", "quantity", "usedQuantity", NULL, NULL FROM ledger
    UNION ALL
    (SELECT 'audit', NULL, "hash", NULL, NULL, NULL, NULL FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1)`;

interface BatchReadRow {
  kind: 'known' | 'ledger' | 'audit';
  id: string | null;
  text: string;
  quantity: number | null;
  usedQuantity: number | null;
  /** a known scan's origin */
  deviceId: string | null;
  marketId: number | null;
}

/** One batch's rows for one table, column by column: each column's SQL type and its values in batch order. */
type Columns = Record<string, readonly [type: string, values: readonly unknown[]]>;

/**
 * Builds a statement whose rows come from parameter arrays: `rows(columns)` is an `unnest(...) AS v(...)` source
 * with the columns' names, numbering the parameters in the order they are written into the text.
 */
function arrayStatement() {
  const values: unknown[] = [];
  const param = (value: unknown, type: string): string => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  return {
    values,
    param,
    rows(columns: Columns, { ordered = false } = {}): string {
      const names = Object.keys(columns);
      const args = Object.values(columns).map(([type, column]) => param(column, `${type}[]`));
      const aliases = [...names, ...(ordered ? ['n'] : [])].map((name) => `"${name}"`);
      return `unnest(${args.join(', ')})${ordered ? ' WITH ORDINALITY' : ''} AS v(${aliases.join(', ')})`;
    },
  };
}

const columnList = (columns: Columns): string =>
  Object.keys(columns)
    .map((name) => `"${name}"`)
    .join(',');
const fromV = (columns: Columns): string =>
  Object.keys(columns)
    .map((name) => `v."${name}"`)
    .join(',');

/**
 * Everything a batch writes, as one statement of data-modifying CTEs (one round trip however many scans and tables;
 * foreign keys are checked at the end of the statement, so rows may reference rows inserted beside them). Empty
 * arrays insert nothing. Like the batch read, it is not a named (prepared) statement on purpose: prepared, it read
 * ~470 "Lot" rows per scan by sequential scan in the benchmark, growing with the table (PostgreSQL may switch a
 * prepared statement to a generic plan after five runs, blind to how few rows the arrays hold); an unnamed
 * statement is planned with its values every time. The ledger
 * UPDATE stays conditional: it charges only rows that are valid and where the charge fits, and answers how many it
 * charged, which must be every certificate the batch charges.
 */
function batchWrite(stored: readonly ScanWrite[], charges: ReadonlyMap<string, number>, prevHash: string) {
  const { values, param, rows } = arrayStatement();
  const scans = stored.map((w) => w.scan);
  const reasons = stored.flatMap((w) => w.verdict.reasons.map((r) => ({ ...r, verdictId: w.verdict.id })));
  // The last verdict of a lot in this batch is the one that stands.
  const lots = [...new Map(stored.map((w) => [w.scan.lotId, w])).values()];
  const violations = stored.flatMap((w) => (w.violation ? [{ w, v: w.violation }] : []));
  let head = prevHash;
  const audit = stored.map((w) => {
    const row = { at: w.at, ...w.audit, data: canonicalJson(w.audit.data) };
    const hash = chainHash(head, canonicalRow(row));
    const entry = { ...row, prevHash: head, hash };
    head = hash;
    return entry;
  });

  const scan: Columns = {
    id: ['text', scans.map((s) => s.id)],
    lotId: ['text', scans.map((s) => s.lotId)],
    deviceId: ['text', scans.map((s) => s.deviceId)],
    marketId: ['int', scans.map((s) => s.marketId)],
    source: ['text', scans.map((s) => s.source)],
    rawText: ['text', scans.map((s) => s.rawText)],
    symbology: ['text', scans.map((s) => s.symbology)],
    keystrokeTimings: ['text', scans.map((s) => s.keystrokeTimings)],
    deviceTime: ['timestamp', scans.map((s) => utc(s.deviceTime))],
    receivedAt: ['timestamp', scans.map((s) => utc(s.receivedAt))],
    codeKind: ['text', scans.map((s) => s.codeKind)],
    certificateId: ['text', scans.map((s) => s.certificateId)],
    provisional: ['bool', scans.map((s) => s.provisional)],
    provisionalOutcome: ['text', scans.map((s) => s.provisionalOutcome)],
    outcome: ['text', scans.map((s) => s.outcome)],
    reasons: ['text', scans.map((s) => s.reasons)],
    conflict: ['bool', scans.map((s) => s.conflict)],
    response: ['text', scans.map((s) => s.response)],
  };
  // Audit rows are numbered in chain order: the sequence is drawn as the ordered rows are inserted.
  const auditRow: Columns = {
    at: ['timestamp', audit.map((a) => utc(a.at))],
    actor: ['text', audit.map((a) => a.actor)],
    action: ['text', audit.map((a) => a.action)],
    entity: ['text', audit.map((a) => a.entity)],
    entityId: ['text', audit.map((a) => a.entityId)],
    data: ['text', audit.map((a) => a.data)],
    prevHash: ['text', audit.map((a) => a.prevHash)],
    hash: ['text', audit.map((a) => a.hash)],
  };

  const text = `WITH charged AS (
      UPDATE "Certificate" AS c SET "usedQuantity" = c."usedQuantity" + v.q
      FROM ${rows({ id: ['text', [...charges.keys()]], q: ['float8', [...charges.values()]] })}
      WHERE c."id" = v.id AND c."status" = 'valid'
        AND c."usedQuantity" + v.q <= c."quantity" + ${param(ledgerTolerance, 'float8')}
      RETURNING 1
    ), scans AS (
      INSERT INTO "Scan" (${columnList(scan)}) SELECT ${fromV(scan)} FROM ${rows(scan)}
    ), documents AS (
      INSERT INTO "LotDocument" ("id","lotId","type","scanId","certificateId","fields","quantityClaim","createdAt")
      SELECT v.id, v.lot, 'code', v.scan, v.cert, '{}', v.claim, v.at
      FROM ${rows({
        id: ['text', stored.map((w) => w.document.id)],
        lot: ['text', scans.map((s) => s.lotId)],
        scan: ['text', scans.map((s) => s.id)],
        cert: ['text', stored.map((w) => w.document.certificateId)],
        claim: [
          'float8',
          stored.map(
            (w) => w.charges.find((c) => c.certificateId === w.document.certificateId)?.quantity ?? null,
          ),
        ],
        at: ['timestamp', stored.map((w) => utc(w.at))],
      })}
    ), verdicts AS (
      INSERT INTO "Verdict" ("id","lotId","outcome","rulesVersion","source","decidedAt")
      SELECT v.id, v.lot, v.outcome, v.rules, 'server', v.at
      FROM ${rows({
        id: ['text', stored.map((w) => w.verdict.id)],
        lot: ['text', scans.map((s) => s.lotId)],
        outcome: ['text', stored.map((w) => w.verdict.outcome)],
        rules: ['text', stored.map((w) => w.verdict.rulesVersion)],
        at: ['timestamp', stored.map((w) => utc(w.at))],
      })}
    ), reasons AS (
      INSERT INTO "VerdictReason" ("verdictId","code","documentIndex","detail")
      SELECT v.id, v.code, v.idx, v.detail
      FROM ${rows(
        {
          id: ['text', reasons.map((r) => r.verdictId)],
          code: ['text', reasons.map((r) => r.code)],
          idx: ['int', reasons.map((r) => r.documentIndex)],
          detail: ['text', reasons.map((r) => r.detail)],
        },
        { ordered: true },
      )}
      ORDER BY v.n
    ), judged AS (
      UPDATE "Lot" AS l SET "status" = v.status, "outcome" = v.outcome, "judgedAt" = v.at
      FROM ${rows({
        id: ['text', lots.map((w) => w.scan.lotId)],
        status: ['text', lots.map((w) => w.lotStatus)],
        outcome: ['text', lots.map((w) => w.lotOutcome)],
        at: ['timestamp', lots.map((w) => utc(w.judgedAt))],
      })}
      WHERE l."id" = v.id
    ), violations AS (
      INSERT INTO "Violation" ("id","lotId","scanId","marketId","regionCode","reason","status","createdAt","updatedAt")
      SELECT v.id, v.lot, v.scan, v.market, v.region, v.reason, 'open', v.at, v.at
      FROM ${rows({
        id: ['text', violations.map(({ v }) => v.id)],
        lot: ['text', violations.map(({ w }) => w.scan.lotId)],
        scan: ['text', violations.map(({ w }) => w.scan.id)],
        market: ['int', violations.map(({ w }) => w.scan.marketId)],
        region: ['text', violations.map(({ v }) => v.regionCode)],
        reason: ['text', violations.map(({ v }) => v.reason)],
        at: ['timestamp', violations.map(({ w }) => utc(w.at))],
      })}
    ), violation_events AS (
      INSERT INTO "ViolationEvent" ("violationId","type","toStatus","evidence","at")
      SELECT v.id, 'created', 'open', v.evidence, v.at
      FROM ${rows(
        {
          id: ['text', violations.map(({ v }) => v.id)],
          evidence: ['text', violations.map(({ v }) => v.evidence)],
          at: ['timestamp', violations.map(({ w }) => utc(w.at))],
        },
        { ordered: true },
      )}
      ORDER BY v.n
    ), audit AS (
      INSERT INTO "AuditLog" (${columnList(auditRow)})
      SELECT ${fromV(auditRow)} FROM ${rows(auditRow, { ordered: true })} ORDER BY v.n
    )
    SELECT (SELECT count(*) FROM charged)::int AS "charged"`;
  return { text, values };
}

/**
 * Group commit on raw `pg`, for PostgreSQL: scans arriving while a batch is being written are written together in
 * one transaction on the writer's own connection (never queued behind the per-scan reads), in four round trips
 * however many scans it holds: BEGIN with the audit lock, one read, one write, COMMIT. The ledger rows are locked
 * and checked before anything is written, so a scan whose charge no longer fits is refused alone. If the batch
 * fails as a whole (a scan id sent to two nodes at once, say), each of its scans is written on its own through
 * `single`, which reports what went wrong scan by scan.
 */
export function pgBatchedScanStore(reads: ScanReads, single: ScanStore): ScanStore {
  let queue: Pending[] = [];
  let writing = false;

  async function writeBatch(client: pg.PoolClient, batch: Pending[]): Promise<RecordResult[]> {
    const certificateIds = [
      ...new Set(batch.flatMap((p) => p.write.charges.map((c) => c.certificateId))),
    ].sort();
    const { rows } = await client.query<BatchReadRow>(batchReads, [
      batch.map((p) => p.write.scan.id),
      certificateIds,
    ]);
    const answered = new Map<string, Answered>();
    const ledger = new Map<string, { quantity: number; usedQuantity: number; status: string }>();
    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      if (row.kind === 'known')
        answered.set(row.id!, { response: row.text, deviceId: row.deviceId, marketId: row.marketId! });
      else if (row.kind === 'ledger')
        ledger.set(row.id!, { quantity: row.quantity!, usedQuantity: row.usedQuantity!, status: row.text });
      else prevHash = row.text;
    }

    const results: RecordResult[] = [];
    const stored: ScanWrite[] = [];
    const charges = new Map<string, number>();
    for (const { write } of batch) {
      const earlier = answered.get(write.scan.id);
      if (earlier !== undefined) {
        results.push({ kind: 'duplicate', earlier });
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
      answered.set(write.scan.id, write.scan);
      stored.push(write);
      results.push({ kind: 'stored' });
    }
    if (stored.length === 0) return results;

    const written = await client.query<{ charged: number }>(batchWrite(stored, charges, prevHash));
    if (written.rows[0]?.charged !== charges.size)
      throw new LedgerMoved('a ledger row changed under the batch lock');
    // A charge to a certificate other than the scanned one (a repack's parent) adds to that certificate's first
    // document in the lot, which may be a row this batch just inserted: the statement above could not see it.
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
    return results;
  }

  async function commit(batch: Pending[]): Promise<RecordResult[]> {
    const client = await reads.writer.connect();
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${auditLockKey})`);
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
