import type { LotDeclaration } from '@liangzheng/domain';
import type { AuditEntry } from '../audit/audit-log.ts';
import type { Claim, LedgerEntry } from '../ledger/ledger.ts';

/** A lot as the scan path needs it: its declaration, what it was shown so far, and what it was charged. */
export interface LotContext {
  id: string;
  marketId: number;
  gateId: number | null;
  regionCode: string;
  status: string;
  noCertificate: boolean;
  declaration: LotDeclaration;
  /** documents already presented, in order: code texts and paper/second documents as stored */
  documents: StoredDocument[];
  /** quantity already charged to each certificate's ledger by this lot */
  chargedToLot: Map<string, number>;
}

export type StoredDocument =
  | { type: 'code'; text: string; scanId: string | null }
  | { type: 'paper'; fields: Record<string, unknown> }
  | { type: 'second_document'; kind: string; number: string };

export interface ScanRow {
  id: string;
  lotId: string;
  deviceId: string | null;
  marketId: number;
  source: string;
  rawText: string;
  symbology: string;
  keystrokeTimings: string | null;
  deviceTime: Date | null;
  receivedAt: Date;
  codeKind: string;
  certificateId: string | null;
  provisional: boolean;
  provisionalOutcome: string | null;
  outcome: string;
  reasons: string;
  conflict: boolean;
  response: string;
}

export interface VerdictRow {
  id: string;
  outcome: string;
  rulesVersion: string;
  reasons: { code: string; documentIndex: number | null; detail: string }[];
}

export interface ViolationRow {
  id: string;
  regionCode: string;
  reason: string;
  evidence: string;
}

/** Everything one scan writes, committed all together or not at all. */
export interface ScanWrite {
  scan: ScanRow;
  document: { id: string; certificateId: string | null };
  verdict: VerdictRow;
  /** extra quantities to charge; each must fit under the certificate's quantity at commit time */
  charges: Claim[];
  lotOutcome: string;
  /** `open` while the lot is pending (more certificates may come), `judged` once it has a final outcome */
  lotStatus: 'open' | 'judged';
  /** when the lot got its final outcome; null while pending */
  judgedAt: Date | null;
  violation: ViolationRow | null;
  at: Date;
  /** the hash-chained audit row, written in the same transaction */
  audit: AuditEntry;
}

/** A stored scan's first answer, and where it was scanned: a re-send from anywhere else is not a replay. */
export interface Answered {
  response: string;
  deviceId: string | null;
  marketId: number;
}

export type RecordResult =
  | { kind: 'stored' }
  | { kind: 'duplicate'; earlier: Answered }
  | { kind: 'ledger_conflict'; certificateId: string };

/** The scan path's storage. One implementation per driver: raw SQLite with group commit, and Prisma. */
export interface ScanStore {
  /** the first stored answer for a scan id (replayed byte-identical on a re-send) and where it was scanned */
  answered(scanId: string): Promise<Answered | undefined>;
  lotContext(lotId: string): Promise<LotContext | undefined>;
  ledger(certificateIds: readonly string[]): Promise<LedgerEntry[]>;
  record(write: ScanWrite): Promise<RecordResult>;
  close(): Promise<void>;
}
