import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LotCoverage, LotDeclaration, PaperFields, Reason, VerdictOutcome } from '@liangzheng/domain';
import Database from 'better-sqlite3';
import type { Read } from '../read/read.ts';

export type Outcome = VerdictOutcome;
/** `local`: journaled for the record only (repeated reads); `refused`: the server will never take it */
export type SyncState = 'pending' | 'sent' | 'acked' | 'conflict' | 'local' | 'refused';

export interface ProvisionalVerdict {
  outcome: Outcome;
  reasons: Reason[];
  codeKind: string;
  certificateId: string | null;
  /** 0 when the agent had no trust snapshot at all */
  snapshotVersion: number;
  /**
   * How far the lot's certificates cover it, for the gate screen (已核 200/300 千克). Not journaled: the server
   * judges coverage again with the real ledger and says so in its answer.
   */
  coverage?: LotCoverage | null;
}

/** The server's answer to a lot the gate closed: its final outcome, or why it will never close it. */
export interface CloseOutcome {
  lotId: string;
  outcome: string | null;
  refusal: string | null;
}

export interface NewJournalEntry {
  read: Read;
  verdict: ProvisionalVerdict;
  lotId: string;
  /** the agent's own clock at the read */
  deviceTime: Date;
  /** the agent's clock corrected by the last known server offset */
  serverTime: Date;
  /** a repeated read is journaled for the record but never uploaded */
  repeated: boolean;
}

export interface JournalEntry extends NewJournalEntry {
  seq: number;
  scanId: string;
  syncState: SyncState;
  serverOutcome: Outcome | null;
  serverReasons: Reason[] | null;
  attempts: number;
  /** why the server refused it for good, e.g. LOT_NOT_FOUND */
  refusal: string | null;
}

/** A paper certificate shown for a lot, as typed in at the gate, with its photo (base64 JPEG) when taken. */
export interface PaperDocument {
  type: 'paper';
  fields: PaperFields;
  photo?: string;
}

/** What staff entered at the gate beyond the declaration; scanned lots carry none of it. */
export interface LotArrival {
  plate: string;
  supplier: string;
  /** the vendor has no certificate at all: the server judges the lot MISSING at once */
  noCertificate: boolean;
  documents: PaperDocument[];
}

export const scannedArrival: LotArrival = { plate: '', supplier: '', noCertificate: false, documents: [] };

/** An arrival opened at this gate; sent to the server in journal order, and before any of its scans. */
export interface JournalLot {
  lotId: string;
  declaration: LotDeclaration;
  arrival: LotArrival;
  openedAt: Date;
  syncState: 'pending' | 'acked' | 'refused';
}

export interface StoredSnapshot {
  version: number;
  /** the signed envelope exactly as the server sent it */
  envelope: string;
  /**
   * the latest time the root signed that this version was current (server clock), so clock skew on the gate PC
   * does not age the snapshot and only signed answers make it younger
   */
  receivedAt: Date;
}

export interface ServerAnswer {
  scanId: string;
  outcome: Outcome;
  reasons: Reason[];
}

export interface ServerRefusal {
  scanId: string;
  code: string;
}

export interface JournalCounts {
  total: number;
  pending: number;
  sent: number;
  acked: number;
  conflict: number;
  local: number;
  refused: number;
  oldestUnsentAt: Date | null;
}

interface ScanRow {
  seq: number;
  scan_id: string;
  lot_id: string;
  read_json: string;
  device_time: number;
  server_time: number;
  outcome: Outcome;
  reasons: string;
  code_kind: string;
  certificate_id: string | null;
  snapshot_version: number;
  repeated: number;
  sync_state: SyncState;
  server_outcome: Outcome | null;
  server_reasons: string | null;
  attempts: number;
  refusal: string | null;
}

const schema = `
CREATE TABLE IF NOT EXISTS scan (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  scan_id TEXT NOT NULL UNIQUE,
  lot_id TEXT NOT NULL,
  read_json TEXT NOT NULL,
  device_time INTEGER NOT NULL,
  server_time INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reasons TEXT NOT NULL,
  code_kind TEXT NOT NULL,
  certificate_id TEXT,
  snapshot_version INTEGER NOT NULL,
  repeated INTEGER NOT NULL,
  sync_state TEXT NOT NULL,
  server_outcome TEXT,
  server_reasons TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  refusal TEXT,
  synced_at INTEGER
);
CREATE INDEX IF NOT EXISTS scan_unsynced ON scan (seq) WHERE sync_state IN ('pending', 'sent');
CREATE TABLE IF NOT EXISTS trust_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  envelope TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lot (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  lot_id TEXT NOT NULL UNIQUE,
  declaration TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  sync_state TEXT NOT NULL,
  refusal TEXT
);
CREATE INDEX IF NOT EXISTS lot_pending ON lot (seq) WHERE sync_state = 'pending';
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lot_close (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  lot_id TEXT NOT NULL UNIQUE,
  closed_at INTEGER NOT NULL,
  sync_state TEXT NOT NULL,
  outcome TEXT,
  refusal TEXT
);
CREATE INDEX IF NOT EXISTS lot_close_pending ON lot_close (seq) WHERE sync_state = 'pending';
`;

interface LotRow {
  lot_id: string;
  declaration: string;
  arrival: string | null;
  opened_at: number;
  sync_state: JournalLot['syncState'];
}

/** Columns added after the first journals were written: added in place, so an old journal keeps its rows. */
function addMissingColumns(db: Database.Database): void {
  const lotColumns = (db.prepare('PRAGMA table_info(lot)').all() as { name: string }[]).map((c) => c.name);
  if (!lotColumns.includes('arrival')) db.exec('ALTER TABLE lot ADD COLUMN arrival TEXT');
}

/**
 * The agent's write-ahead record. Every read lands here, fsynced, before the agent beeps, shows or uploads,
 * so a read survives power loss or kill -9 at any later moment and is uploaded on the next start.
 */
export class Journal {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #unsent: Database.Statement;
  readonly #markSent: Database.Statement;
  readonly #ack: Database.Statement;
  readonly #byScanId: Database.Statement;
  readonly #newUuid: () => string;

  constructor(path: string, newUuid: () => string = () => crypto.randomUUID()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    // FULL: in WAL mode every commit fsyncs the log, so a journaled read is on disk before we return.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(schema);
    addMissingColumns(this.#db);
    this.#newUuid = newUuid;
    this.#insert = this.#db.prepare(`INSERT INTO scan
      (scan_id, lot_id, read_json, device_time, server_time, outcome, reasons, code_kind, certificate_id,
       snapshot_version, repeated, sync_state)
      VALUES (@scanId, @lotId, @read, @deviceTime, @serverTime, @outcome, @reasons, @codeKind, @certificateId,
       @snapshotVersion, @repeated, @syncState) RETURNING *`);
    this.#unsent = this.#db.prepare(
      `SELECT * FROM scan WHERE sync_state IN ('pending', 'sent') ORDER BY seq LIMIT ?`,
    );
    this.#markSent = this.#db.prepare(
      `UPDATE scan SET sync_state = 'sent', attempts = attempts + 1 WHERE scan_id = ? AND sync_state IN ('pending', 'sent')`,
    );
    this.#ack = this.#db.prepare(`UPDATE scan SET sync_state = @state, server_outcome = @outcome,
      server_reasons = @reasons, synced_at = @at WHERE scan_id = @scanId`);
    this.#byScanId = this.#db.prepare('SELECT * FROM scan WHERE scan_id = ?');
  }

  /** Journals one read with its provisional verdict; returns only once it is durable. */
  record(entry: NewJournalEntry): JournalEntry {
    const row = this.#insert.get({
      scanId: this.#newUuid(),
      lotId: entry.lotId,
      read: JSON.stringify(entry.read),
      deviceTime: entry.deviceTime.getTime(),
      serverTime: entry.serverTime.getTime(),
      outcome: entry.verdict.outcome,
      reasons: JSON.stringify(entry.verdict.reasons),
      codeKind: entry.verdict.codeKind,
      certificateId: entry.verdict.certificateId,
      snapshotVersion: entry.verdict.snapshotVersion,
      repeated: entry.repeated ? 1 : 0,
      syncState: entry.repeated ? 'local' : 'pending',
    }) as ScanRow;
    const recorded = toEntry(row);
    // coverage is for the screen only, so it is handed back as given rather than read from the row
    return { ...recorded, verdict: { ...recorded.verdict, coverage: entry.verdict.coverage ?? null } };
  }

  /** The oldest entries not yet acknowledged by the server, in journal order. */
  unsent(limit: number): JournalEntry[] {
    return (this.#unsent.all(limit) as ScanRow[]).map(toEntry);
  }

  markSent(scanIds: readonly string[]): void {
    this.#db.transaction(() => {
      for (const id of scanIds) this.#markSent.run(id);
    })();
  }

  /** Stores the server's verdicts; a verdict that differs from the provisional one marks a conflict. */
  acknowledge(answers: readonly ServerAnswer[], at: Date): JournalEntry[] {
    const conflicts: JournalEntry[] = [];
    this.#db.transaction(() => {
      for (const answer of answers) {
        const row = this.#byScanId.get(answer.scanId) as ScanRow | undefined;
        if (!row) continue;
        const conflict = row.outcome !== answer.outcome;
        this.#ack.run({
          scanId: answer.scanId,
          state: conflict ? 'conflict' : 'acked',
          outcome: answer.outcome,
          reasons: JSON.stringify(answer.reasons),
          at: at.getTime(),
        });
        if (conflict) conflicts.push(toEntry(this.#byScanId.get(answer.scanId) as ScanRow));
      }
    })();
    return conflicts;
  }

  /** The server will never take these (e.g. an unknown lot): kept, shown, and no longer blocking the queue. */
  refuse(refusals: readonly ServerRefusal[], at: Date): void {
    const statement = this.#db.prepare(
      `UPDATE scan SET sync_state = 'refused', refusal = ?, synced_at = ? WHERE scan_id = ?`,
    );
    this.#db.transaction(() => {
      for (const refusal of refusals) statement.run(refusal.code, at.getTime(), refusal.scanId);
    })();
  }

  get(scanId: string): JournalEntry | null {
    const row = this.#byScanId.get(scanId) as ScanRow | undefined;
    return row ? toEntry(row) : null;
  }

  /** The last non-repeated entry for this text since `since`, for repeated-read suppression. */
  lastReadOf(text: string, since: Date): JournalEntry | null {
    const row = this.#db
      .prepare(
        `SELECT * FROM scan WHERE json_extract(read_json, '$.text') = ? AND device_time >= ? AND repeated = 0
         ORDER BY seq DESC LIMIT 1`,
      )
      .get(text, since.getTime()) as ScanRow | undefined;
    return row ? toEntry(row) : null;
  }

  recent(limit: number): JournalEntry[] {
    return (this.#db.prepare('SELECT * FROM scan ORDER BY seq DESC LIMIT ?').all(limit) as ScanRow[]).map(
      toEntry,
    );
  }

  conflicts(limit: number): JournalEntry[] {
    return (
      this.#db
        .prepare(`SELECT * FROM scan WHERE sync_state = 'conflict' ORDER BY seq DESC LIMIT ?`)
        .all(limit) as ScanRow[]
    ).map(toEntry);
  }

  counts(): JournalCounts {
    const rows = this.#db.prepare('SELECT sync_state, count(*) AS n FROM scan GROUP BY sync_state').all() as {
      sync_state: SyncState;
      n: number;
    }[];
    const counts: JournalCounts = {
      total: 0,
      pending: 0,
      sent: 0,
      acked: 0,
      conflict: 0,
      local: 0,
      refused: 0,
      oldestUnsentAt: null,
    };
    for (const row of rows) {
      counts[row.sync_state] = row.n;
      counts.total += row.n;
    }
    const oldest = this.#db
      .prepare(`SELECT min(device_time) AS t FROM scan WHERE sync_state IN ('pending', 'sent')`)
      .get() as { t: number | null };
    counts.oldestUnsentAt = oldest.t === null ? null : new Date(oldest.t);
    return counts;
  }

  recordLot(lot: Omit<JournalLot, 'syncState' | 'arrival'> & { arrival?: LotArrival }): void {
    this.#db
      .prepare(
        `INSERT INTO lot (lot_id, declaration, arrival, opened_at, sync_state) VALUES (?, ?, ?, ?, 'pending')`,
      )
      .run(
        lot.lotId,
        JSON.stringify(lot.declaration),
        JSON.stringify(lot.arrival ?? scannedArrival),
        lot.openedAt.getTime(),
      );
  }

  lotCount(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM lot').get() as { n: number }).n;
  }

  lotDeclaration(lotId: string): LotDeclaration | null {
    const row = this.#db.prepare('SELECT declaration FROM lot WHERE lot_id = ?').get(lotId) as
      | { declaration: string }
      | undefined;
    return row ? (JSON.parse(row.declaration) as LotDeclaration) : null;
  }

  /** The oldest lots the server has not answered for, in journal order; read through the pending-only index. */
  unsentLots(limit: number): JournalLot[] {
    return (
      this.#db
        .prepare(
          `SELECT lot_id, declaration, arrival, opened_at, sync_state FROM lot WHERE sync_state = 'pending'
           ORDER BY seq LIMIT ?`,
        )
        .all(limit) as LotRow[]
    ).map(toLot);
  }

  /** Which of these lots the server has not answered for yet. */
  pendingAmong(lotIds: readonly string[]): Set<string> {
    if (lotIds.length === 0) return new Set();
    const rows = this.#db
      .prepare(
        `SELECT lot_id FROM lot WHERE sync_state = 'pending' AND lot_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify([...new Set(lotIds)])) as { lot_id: string }[];
    return new Set(rows.map((row) => row.lot_id));
  }

  pendingLotCount(): number {
    return (
      this.#db.prepare(`SELECT count(*) AS n FROM lot WHERE sync_state = 'pending'`).get() as { n: number }
    ).n;
  }

  settleLot(lotId: string, refusal: string | null): void {
    this.#db
      .prepare('UPDATE lot SET sync_state = ?, refusal = ? WHERE lot_id = ?')
      .run(refusal === null ? 'acked' : 'refused', refusal, lotId);
  }

  /** Many lots at once, in one transaction: a batch's lots cost one commit, not one each. */
  settleLots(lots: readonly { lotId: string; refusal: string | null }[]): void {
    const settle = this.#db.prepare('UPDATE lot SET sync_state = ?, refusal = ? WHERE lot_id = ?');
    this.#db.transaction(() => {
      for (const { lotId, refusal } of lots)
        settle.run(refusal === null ? 'acked' : 'refused', refusal, lotId);
    })();
  }

  /** Staff closed the lot (本车扫完): durable before the screen says so, sent once its lot and scans are in. */
  recordClose(lotId: string, at: Date): void {
    this.#db
      .prepare(
        `INSERT INTO lot_close (lot_id, closed_at, sync_state) VALUES (?, ?, 'pending') ON CONFLICT (lot_id) DO NOTHING`,
      )
      .run(lotId, at.getTime());
  }

  /**
   * Closes the server may take now, oldest first: their lot is in (or refused) and none of its scans is still
   * to be answered, so a close never reaches the server before the reads it closes over.
   */
  readyCloses(limit: number): string[] {
    const rows = this.#db
      .prepare(
        `SELECT c.lot_id FROM lot_close c
          WHERE c.sync_state = 'pending'
            AND NOT EXISTS (SELECT 1 FROM lot l WHERE l.lot_id = c.lot_id AND l.sync_state = 'pending')
            AND NOT EXISTS (SELECT 1 FROM scan s WHERE s.lot_id = c.lot_id AND s.sync_state IN ('pending', 'sent'))
          ORDER BY c.seq LIMIT ?`,
      )
      .all(limit) as { lot_id: string }[];
    return rows.map((row) => row.lot_id);
  }

  pendingCloseCount(): number {
    return (
      this.#db.prepare(`SELECT count(*) AS n FROM lot_close WHERE sync_state = 'pending'`).get() as {
        n: number;
      }
    ).n;
  }

  /** The server's answers to closes: done (with the lot's final outcome) or refused for good. */
  settleCloses(closes: readonly CloseOutcome[]): void {
    const settle = this.#db.prepare(
      'UPDATE lot_close SET sync_state = ?, outcome = ?, refusal = ? WHERE lot_id = ?',
    );
    this.#db.transaction(() => {
      for (const close of closes) {
        settle.run(close.refusal === null ? 'acked' : 'refused', close.outcome, close.refusal, close.lotId);
      }
    })();
  }

  saveSnapshot(snapshot: StoredSnapshot): void {
    this.#db
      .prepare(`INSERT INTO trust_snapshot (id, version, envelope, received_at) VALUES (1, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET version = excluded.version, envelope = excluded.envelope,
        received_at = excluded.received_at`)
      .run(snapshot.version, snapshot.envelope, snapshot.receivedAt.getTime());
  }

  loadSnapshot(): StoredSnapshot | null {
    const row = this.#db
      .prepare('SELECT version, envelope, received_at FROM trust_snapshot WHERE id = 1')
      .get() as { version: number; envelope: string; received_at: number } | undefined;
    return row
      ? { version: row.version, envelope: row.envelope, receivedAt: new Date(row.received_at) }
      : null;
  }

  getMeta(key: string): string | null {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.#db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /** Bulk insert for benchmarks and demos: one transaction, same rows as `record`. */
  recordMany(entries: readonly NewJournalEntry[]): void {
    this.#db.transaction(() => {
      for (const entry of entries) this.record(entry);
    })();
  }

  close(): void {
    this.#db.close();
  }
}

function toLot(row: LotRow): JournalLot {
  return {
    lotId: row.lot_id,
    declaration: JSON.parse(row.declaration) as LotDeclaration,
    arrival: row.arrival === null ? scannedArrival : (JSON.parse(row.arrival) as LotArrival),
    openedAt: new Date(row.opened_at),
    syncState: row.sync_state,
  };
}

function toEntry(row: ScanRow): JournalEntry {
  return {
    seq: row.seq,
    scanId: row.scan_id,
    lotId: row.lot_id,
    read: JSON.parse(row.read_json) as Read,
    deviceTime: new Date(row.device_time),
    serverTime: new Date(row.server_time),
    verdict: {
      outcome: row.outcome,
      reasons: JSON.parse(row.reasons) as Reason[],
      codeKind: row.code_kind,
      certificateId: row.certificate_id,
      snapshotVersion: row.snapshot_version,
    },
    repeated: row.repeated === 1,
    syncState: row.sync_state,
    serverOutcome: row.server_outcome,
    serverReasons: row.server_reasons === null ? null : (JSON.parse(row.server_reasons) as Reason[]),
    attempts: row.attempts,
    refusal: row.refusal,
  };
}
