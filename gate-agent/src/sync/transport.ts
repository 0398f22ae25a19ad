import type { LotDeclaration, ScanSubmission } from '@liangzheng/domain';
import type {
  CloseOutcome,
  JournalEntry,
  JournalLot,
  PaperDocument,
  ServerAnswer,
  ServerRefusal,
} from '../journal/journal.ts';

export type TransportErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'UNAUTHORIZED' | 'REFUSED' | 'BAD_ANSWER';

export interface TransportError {
  code: TransportErrorCode;
  detail: string;
}

/**
 * A lot as the batch carries it (the server's `LotCreate`): the agent's own id, so a re-send finds the lot
 * already there. What staff entered by hand goes only when there is some, so a scanned lot stays small.
 */
export interface LotUpload {
  id: string;
  gateId: number;
  declaration: LotDeclaration;
  plate?: string;
  supplier?: string;
  noCertificate?: true;
  documents?: PaperDocument[];
  /** when the lot was journaled, by the server-corrected clock: the open-lot limit runs from here */
  arrivedAt: string;
}

/** `refusal` null: the server has the lot (created now or before); otherwise it never will, with the code. */
export interface LotOutcome {
  lotId: string;
  refusal: string | null;
}

/**
 * Per scan in a batch: an answer, or a refusal the server will repeat for ever (unknown lot, wrong gate),
 * which must not hold up the scans behind it; per lot, its outcome.
 */
export type SubmitResult =
  | {
      ok: true;
      answers: ServerAnswer[];
      refusals: ServerRefusal[];
      lots: LotOutcome[];
      /** one per close sent; absent when none was */
      closes?: CloseOutcome[];
      incomplete: boolean;
    }
  | { ok: false; error: TransportError };

/** Sends one batch (its lots first, then its scans, in order, then the lots staff closed) and reads the answers. */
export interface ScanTransport {
  readonly name: string;
  submit(
    scans: readonly ScanSubmission[],
    lots?: readonly LotUpload[],
    closes?: readonly string[],
  ): Promise<SubmitResult>;
  close?(): Promise<void>;
}

/** Learns the server's clock from timestamps in its answers. */
export type ServerTimeObserver = (serverMs: number, sentAt: Date, answeredAt: Date) => void;

const maxReasons = 64;

/** The symbology field is a lower-case token; AIM ids such as `]Q1` and unknowns are left out. */
function symbologyOf(symbology: string): string | undefined {
  const token = symbology.toLowerCase();
  return /^[a-z0-9_-]{1,32}$/.test(token) && token !== 'unknown' ? token : undefined;
}

/**
 * The journal row as the server's ScanSubmission. `deviceTime` is the read time on the server's clock as the
 * agent knows it, so a gate PC whose clock is hours off still files its scans at the right time.
 */
export function submissionOf(entry: JournalEntry, gateId: number): ScanSubmission {
  const symbology = symbologyOf(entry.read.symbology);
  return {
    scanId: entry.scanId,
    lotId: entry.lotId,
    gateId,
    provenance: {
      source: entry.read.source,
      rawText: entry.read.text,
      ...(symbology ? { symbology } : {}),
      keystrokeTimings: entry.read.provenance.keystrokeTimings ?? [],
      deviceTime: entry.serverTime.toISOString(),
      decoder: entry.read.provenance.decoder ?? entry.read.source,
    },
    provisional: {
      outcome: entry.verdict.outcome,
      // the schema's bound; reasons come most important first, so the tail is what a person needs least
      reasons: entry.verdict.reasons.slice(0, maxReasons),
      snapshotVersion: entry.verdict.snapshotVersion,
    },
  };
}

export function lotUploadOf(lot: JournalLot, gateId: number): LotUpload {
  const { plate, supplier, noCertificate, documents } = lot.arrival;
  return {
    id: lot.lotId,
    gateId,
    declaration: lot.declaration,
    ...(plate ? { plate } : {}),
    ...(supplier ? { supplier } : {}),
    ...(noCertificate ? { noCertificate } : {}),
    ...(documents.length > 0 ? { documents } : {}),
    arrivedAt: lot.openedAt.toISOString(),
  };
}

/** Replays scripted answers and records what was sent: for unit tests of the uploader. */
export class RecordedTransport implements ScanTransport {
  readonly name = 'recorded';
  readonly sent: ScanSubmission[][] = [];
  readonly sentLots: LotUpload[][] = [];
  readonly #answer: (
    batch: readonly ScanSubmission[],
    call: number,
    lots: readonly LotUpload[],
  ) => SubmitResult;
  constructor(
    answer: (batch: readonly ScanSubmission[], call: number, lots: readonly LotUpload[]) => SubmitResult,
  ) {
    this.#answer = answer;
  }
  async submit(batch: readonly ScanSubmission[], lots: readonly LotUpload[] = []): Promise<SubmitResult> {
    this.sent.push([...batch]);
    this.sentLots.push([...lots]);
    return this.#answer(batch, this.sent.length - 1, lots);
  }
}
