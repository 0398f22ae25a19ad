import type { LotDeclaration } from '@liangzheng/domain';
import type { Database } from 'better-sqlite3';
import { canonicalJson, canonicalRow, chainHash, GENESIS_HASH } from '../audit/audit-log.ts';
import type { LedgerEntry } from '../ledger/ledger.ts';
import { fitsLedger, ledgerTolerance } from '../ledger/ledger.ts';
import type {
  Answered,
  LotContext,
  RecordResult,
  ScanStore,
  ScanWrite,
  StoredDocument,
} from './scan-store.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/** Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset; raw writes must match. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

interface Pending {
  write: ScanWrite;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}

/** Enough to amortise the WAL commit, small enough that the first scan in a batch is not kept waiting. */
const maxBatch = 256;
/**
 * How long the first scan of a batch waits for company. A commit costs about as much CPU as judging several
 * scans, so at a steady 1,000 scans/s committing each alone keeps a core busy; waiting a millisecond or two
 * turns that into batches and costs the scan no more than the wait.
 */
const gatherMs = 2;

/**
 * The SQLite scan path on raw better-sqlite3: prepared statements and group commit. Scans arriving within
 * `gatherMs` of each other are written in one transaction; a scan whose ledger charge no longer fits is refused before
 * it writes anything, so it alone is judged again. A scan is acknowledged only after its batch has committed.
 */
export function createSqliteScanStore(db: Database): ScanStore {
  const statements = prepare(db);
  const checkpointer = startWalCheckpointer(db);
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  /**
   * One scan, inside the batch's transaction. Everything that can refuse the scan (a known scanId, a charge
   * that no longer fits) is checked before anything is written, so a refused scan needs no savepoint.
   */
  function writeOne(write: ScanWrite, chain: { prevHash: string }): RecordResult {
    const { scan } = write;
    const earlier = statements.scanAnswered.get(scan.id) as Answered | undefined;
    if (earlier) return { kind: 'duplicate', earlier };
    for (const charge of write.charges) {
      const entry = statements.ledger.get(charge.certificateId) as LedgerEntry | undefined;
      if (entry?.status !== 'valid' || !fitsLedger(entry, charge.quantity)) {
        return { kind: 'ledger_conflict', certificateId: charge.certificateId };
      }
    }
    statements.insertScan.run(
      scan.id,
      scan.lotId,
      scan.deviceId,
      scan.marketId,
      scan.source,
      scan.rawText,
      scan.symbology,
      scan.keystrokeTimings,
      scan.deviceTime ? sqliteTime(scan.deviceTime) : null,
      sqliteTime(scan.receivedAt),
      scan.codeKind,
      scan.certificateId,
      scan.provisional ? 1 : 0,
      scan.provisionalOutcome,
      scan.outcome,
      scan.reasons,
      scan.conflict ? 1 : 0,
      scan.response,
    );
    const at = sqliteTime(write.at);
    let ownClaim: number | null = null;
    for (const charge of write.charges) {
      // Still conditional: the check above and this update share the write lock, so this cannot miss, but
      // the ledger's guarantee should not rest on that alone.
      const updated = statements.charge.run(
        charge.quantity,
        charge.certificateId,
        charge.quantity,
        ledgerTolerance,
      );
      if (updated.changes === 0)
        throw new Error(`ledger charge on ${charge.certificateId} failed after its check`);
      if (charge.certificateId === write.document.certificateId) ownClaim = charge.quantity;
      else statements.chargeEarlierDocument.run(charge.quantity, scan.lotId, charge.certificateId);
    }
    statements.insertDocument.run(
      write.document.id,
      scan.lotId,
      scan.id,
      write.document.certificateId,
      ownClaim,
      at,
    );
    statements.insertVerdict.run(
      write.verdict.id,
      scan.lotId,
      write.verdict.outcome,
      write.verdict.rulesVersion,
      at,
    );
    for (const reason of write.verdict.reasons) {
      statements.insertReason.run(write.verdict.id, reason.code, reason.documentIndex, reason.detail);
    }
    statements.judgeLot.run(
      write.lotStatus,
      write.lotOutcome,
      write.judgedAt ? sqliteTime(write.judgedAt) : null,
      scan.lotId,
    );
    if (write.violation) {
      const v = write.violation;
      statements.insertViolation.run(
        v.id,
        scan.lotId,
        scan.id,
        scan.marketId,
        v.regionCode,
        v.reason,
        at,
        at,
      );
      statements.insertViolationCreated.run(v.id, v.evidence, at);
    }
    const row = { at: write.at, ...write.audit, data: canonicalJson(write.audit.data) };
    const hash = chainHash(chain.prevHash, canonicalRow(row));
    statements.insertAudit.run(
      at,
      row.actor,
      row.action,
      row.entity,
      row.entityId,
      row.data,
      chain.prevHash,
      hash,
    );
    chain.prevHash = hash;
    return { kind: 'stored' };
  }

  const flush = db.transaction((batch: Pending[]) => {
    // The audit chain continues from its last row; the write lock is held, so nobody appends in between.
    const last = statements.lastAuditHash.get() as { hash: string } | undefined;
    const chain = { prevHash: last?.hash ?? GENESIS_HASH };
    return batch.map((pending) => writeOne(pending.write, chain));
  });

  function drain(): void {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        // IMMEDIATE: take the write lock up front, so the ledger checks hold against other processes too.
        const results = flush.immediate(batch);
        batch.forEach((pending, i) => {
          pending.resolve(results[i]!);
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  return {
    async answered(scanId) {
      return statements.scanAnswered.get(scanId) as Answered | undefined;
    },
    async lotContext(lotId) {
      const lot = statements.lot.get(lotId) as LotRow | undefined;
      if (!lot) return undefined;
      const rows = statements.lotDocuments.all(lotId) as DocumentRow[];
      return toLotContext(lot, rows);
    },
    async ledger(certificateIds) {
      const entries: LedgerEntry[] = [];
      for (const id of certificateIds) {
        const row = statements.ledger.get(id) as LedgerEntry | undefined;
        if (row) entries.push(row);
      }
      return entries;
    },
    record(write) {
      return new Promise<RecordResult>((resolve, reject) => {
        queue.push({ write, resolve, reject });
        if (queue.length >= maxBatch) drain();
        else timer ??= setTimeout(drain, gatherMs);
      });
    },
    async close() {
      drain();
      await checkpointer?.stop();
    },
  };
}

export interface LotRow {
  id: string;
  marketId: number;
  gateId: number | null;
  status: string;
  noCertificate: number | boolean;
  productName: string;
  productCode: number | null;
  category: string;
  quantity: number;
  unit: string;
  regionCode: string;
}

export interface DocumentRow {
  type: string;
  scanId: string | null;
  certificateId: string | null;
  secondKind: string | null;
  fields: string;
  quantityClaim: number | null;
  rawText: string | null;
}

export function toLotContext(lot: LotRow, rows: readonly DocumentRow[]): LotContext {
  const chargedToLot = new Map<string, number>();
  const documents: StoredDocument[] = [];
  for (const row of rows) {
    if (row.certificateId && row.quantityClaim) {
      chargedToLot.set(row.certificateId, (chargedToLot.get(row.certificateId) ?? 0) + row.quantityClaim);
    }
    // An undone scan's code (docs/custody.md) is not judged again; what it charged was given back when undone.
    if (row.type === 'reversed_code') continue;
    if (row.type === 'code') documents.push({ type: 'code', text: row.rawText ?? '', scanId: row.scanId });
    else if (row.type === 'paper') documents.push({ type: 'paper', fields: JSON.parse(row.fields) });
    else {
      const fields = JSON.parse(row.fields) as { number?: string };
      documents.push({ type: 'second_document', kind: row.secondKind ?? '', number: fields.number ?? '' });
    }
  }
  return {
    id: lot.id,
    marketId: lot.marketId,
    gateId: lot.gateId,
    regionCode: lot.regionCode,
    status: lot.status,
    noCertificate: Boolean(lot.noCertificate),
    declaration: {
      productName: lot.productName,
      ...(lot.productCode === null ? {} : { productCode: lot.productCode }),
      category: lot.category,
      quantity: lot.quantity,
      unit: lot.unit,
    } as LotDeclaration,
    documents,
    chargedToLot,
  };
}

function prepare(db: Database) {
  return {
    insertScan: db.prepare(
      `INSERT INTO "Scan" ("id","lotId","deviceId","marketId","source","rawText","symbology","keystrokeTimings",
        "deviceTime","receivedAt","codeKind","certificateId","provisional","provisionalOutcome","outcome","reasons",
        "conflict","response") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT("id") DO NOTHING`,
    ),
    scanAnswered: db.prepare(`SELECT "response", "deviceId", "marketId" FROM "Scan" WHERE "id" = ?`),
    charge: db.prepare(
      `UPDATE "Certificate" SET "usedQuantity" = "usedQuantity" + ?
        WHERE "id" = ? AND "status" = 'valid' AND "usedQuantity" + ? <= "quantity" + ?`,
    ),
    chargeEarlierDocument: db.prepare(
      `UPDATE "LotDocument" SET "quantityClaim" = COALESCE("quantityClaim", 0) + ?
        WHERE "id" = (SELECT "id" FROM "LotDocument" WHERE "lotId" = ? AND "certificateId" = ?
          ORDER BY "createdAt", "id" LIMIT 1)`,
    ),
    insertDocument: db.prepare(
      `INSERT INTO "LotDocument" ("id","lotId","type","scanId","certificateId","fields","quantityClaim","createdAt")
        VALUES (?,?,'code',?,?,'{}',?,?)`,
    ),
    insertVerdict: db.prepare(
      `INSERT INTO "Verdict" ("id","lotId","outcome","rulesVersion","source","decidedAt") VALUES (?,?,?,?,'server',?)`,
    ),
    insertReason: db.prepare(
      `INSERT INTO "VerdictReason" ("verdictId","code","documentIndex","detail") VALUES (?,?,?,?)`,
    ),
    judgeLot: db.prepare(`UPDATE "Lot" SET "status" = ?, "outcome" = ?, "judgedAt" = ? WHERE "id" = ?`),
    insertViolation: db.prepare(
      `INSERT INTO "Violation" ("id","lotId","scanId","marketId","regionCode","reason","status","createdAt","updatedAt")
        VALUES (?,?,?,?,?,?,'open',?,?)`,
    ),
    insertViolationCreated: db.prepare(
      `INSERT INTO "ViolationEvent" ("violationId","type","toStatus","note","evidence","at")
        VALUES (?,'created','open','',?,?)`,
    ),
    lot: db.prepare(
      `SELECT l."id", l."marketId", l."gateId", l."status", l."noCertificate", l."productName", l."productCode",
        l."category", l."quantity", l."unit", m."regionCode"
        FROM "Lot" l JOIN "Market" m ON m."id" = l."marketId" WHERE l."id" = ?`,
    ),
    lotDocuments: db.prepare(
      `SELECT d."type", d."scanId", d."certificateId", d."secondKind", d."fields", d."quantityClaim", s."rawText"
        FROM "LotDocument" d LEFT JOIN "Scan" s ON s."id" = d."scanId" WHERE d."lotId" = ?
        ORDER BY d."createdAt", d."id"`,
    ),
    lastAuditHash: db.prepare(`SELECT "hash" FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1`),
    insertAudit: db.prepare(
      `INSERT INTO "AuditLog" ("at","actor","action","entity","entityId","data","prevHash","hash")
        VALUES (?,?,?,?,?,?,?,?)`,
    ),
    ledger: db.prepare(
      `SELECT "id" AS "certificateId", "quantity", "usedQuantity", "status" FROM "Certificate" WHERE "id" = ?`,
    ),
  };
}
