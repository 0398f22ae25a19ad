import type { ScanSubmission } from '@liangzheng/domain';
import type { JournalEntry, ServerAnswer, ServerRefusal } from '../journal/journal.ts';
import type { ParsedAnswer } from './server-answer.ts';

export type TransportErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'UNAUTHORIZED' | 'REFUSED' | 'BAD_ANSWER';

export interface TransportError {
  code: TransportErrorCode;
  detail: string;
}

/**
 * Per scan in a batch: an answer, or a refusal the server will repeat for ever (unknown lot, wrong gate),
 * which must not hold up the scans behind it.
 */
export type SubmitResult =
  | { ok: true; answers: ServerAnswer[]; refusals: ServerRefusal[]; incomplete: boolean }
  | { ok: false; error: TransportError };

export interface ScanTransport {
  readonly name: string;
  submit(batch: readonly ScanSubmission[]): Promise<SubmitResult>;
  close?(): Promise<void>;
}

/** Learns the server's clock from timestamps in its answers. */
export type ServerTimeObserver = (serverMs: number, sentAt: Date, answeredAt: Date) => void;

/** Runs `send` over the batch with at most `window` in flight, in order of start; gathers per-scan outcomes. */
export async function pipeline(
  batch: readonly ScanSubmission[],
  window: number,
  send: (submission: ScanSubmission) => Promise<ParsedAnswer | TransportError>,
): Promise<SubmitResult> {
  const parsed: (ParsedAnswer | TransportError)[] = new Array(batch.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batch.length; i = next++) parsed[i] = await send(batch[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(window, batch.length) }, worker));
  const answers: ServerAnswer[] = [];
  const refusals: ServerRefusal[] = [];
  let firstError: TransportError | null = null;
  for (const result of parsed) {
    if ('kind' in result) {
      if (result.kind === 'answer') answers.push(result.answer);
      else if (result.kind === 'refusal') refusals.push(result.refusal);
      else firstError ??= { code: 'REFUSED', detail: result.code };
    } else firstError ??= result;
  }
  if (answers.length === 0 && refusals.length === 0 && firstError) return { ok: false, error: firstError };
  return { ok: true, answers, refusals, incomplete: firstError !== null };
}

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
    gateId: String(gateId),
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

/** Replays scripted answers and records what was sent: for unit tests of the uploader. */
export class RecordedTransport implements ScanTransport {
  readonly name = 'recorded';
  readonly sent: ScanSubmission[][] = [];
  readonly #answer: (batch: readonly ScanSubmission[], call: number) => SubmitResult;
  constructor(answer: (batch: readonly ScanSubmission[], call: number) => SubmitResult) {
    this.#answer = answer;
  }
  async submit(batch: readonly ScanSubmission[]): Promise<SubmitResult> {
    this.sent.push([...batch]);
    return this.#answer(batch, this.sent.length - 1);
  }
}
