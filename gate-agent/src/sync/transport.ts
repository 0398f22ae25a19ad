import type { ReasonCode } from '@liangzheng/domain';
import type { JournalEntry, Outcome, ServerAnswer } from '../journal/journal.ts';

/** One journaled scan as the server receives it; `scanId` makes every re-send harmless. */
export interface ScanUpload {
  scanId: string;
  gateId: number;
  lotId: string | null;
  source: JournalEntry['read']['source'];
  device: string;
  rawText: string;
  symbology: string;
  decoder?: string;
  rawHex?: string;
  keystrokeTimings?: number[];
  /** the gate PC's own clock, as read */
  deviceTime: string;
  /** the same instant on the server's clock, as far as the agent knows it */
  correctedTime: string;
  provisional: { outcome: Outcome; reasons: ReasonCode[]; snapshotVersion: number | null };
}

export type TransportErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'UNAUTHORIZED' | 'REFUSED';

export interface TransportError {
  code: TransportErrorCode;
  detail: string;
}

export type SubmitResult = { ok: true; answers: ServerAnswer[] } | { ok: false; error: TransportError };

export interface ScanTransport {
  readonly name: string;
  submit(batch: readonly ScanUpload[]): Promise<SubmitResult>;
}

export function uploadOf(entry: JournalEntry, gateId: number): ScanUpload {
  const upload: ScanUpload = {
    scanId: entry.scanId,
    gateId,
    lotId: entry.lotId,
    source: entry.read.source,
    device: entry.read.device,
    rawText: entry.read.text,
    symbology: entry.read.symbology,
    deviceTime: entry.deviceTime.toISOString(),
    correctedTime: entry.serverTime.toISOString(),
    provisional: {
      outcome: entry.verdict.outcome,
      reasons: entry.verdict.reasons,
      snapshotVersion: entry.verdict.snapshotVersion,
    },
  };
  if (entry.read.decoder) upload.decoder = entry.read.decoder;
  if (entry.read.rawHex) upload.rawHex = entry.read.rawHex;
  if (entry.read.keystrokeTimings) upload.keystrokeTimings = entry.read.keystrokeTimings;
  return upload;
}

/** Replays scripted answers and records what was sent: for unit tests of the uploader. */
export class RecordedTransport implements ScanTransport {
  readonly name = 'recorded';
  readonly sent: ScanUpload[][] = [];
  readonly #answer: (batch: readonly ScanUpload[], call: number) => SubmitResult;
  constructor(answer: (batch: readonly ScanUpload[], call: number) => SubmitResult) {
    this.#answer = answer;
  }
  async submit(batch: readonly ScanUpload[]): Promise<SubmitResult> {
    this.sent.push([...batch]);
    return this.#answer(batch, this.sent.length - 1);
  }
}
