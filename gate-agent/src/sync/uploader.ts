import type { Journal, JournalEntry, ServerRefusal } from '../journal/journal.ts';
import type { Clock } from './server-clock.ts';
import { lotUploadOf, type ScanTransport, submissionOf, type TransportError } from './transport.ts';

export interface UploaderEvents {
  /** after every batch, with what is left to send */
  progress(left: number): void;
  conflict(entry: JournalEntry): void;
  refusal(refusal: ServerRefusal): void;
  failure(transport: string, error: TransportError): void;
}

export interface UploaderOptions {
  gateId: number;
  /** scans per batch; the server takes at most 500 */
  batchSize: number;
  maxBackoffMs: number;
}

export type UploadStep = 'idle' | 'sent' | 'failed';

/** The server's bounds on one batch (`scan:submit-batch`, `POST /api/v1/scans/batch`). */
const maxBatchScans = 500;
const maxBatchLots = 500;

/**
 * Sends the journal to the server oldest first, one batch at a time (its lots, then its scans, in one
 * message), and only moves on once a batch is acknowledged. A crash between send and acknowledgement just
 * means the batch is sent again: the server answers a known scanId with its first answer and a known lot id
 * as already there.
 */
export class Uploader {
  readonly #journal: Journal;
  readonly #transports: readonly ScanTransport[];
  readonly #options: UploaderOptions;
  readonly #clock: Clock;
  readonly #events: Partial<UploaderEvents>;
  #running = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(
    journal: Journal,
    transports: readonly ScanTransport[],
    options: UploaderOptions,
    clock: Clock,
    events: Partial<UploaderEvents> = {},
  ) {
    this.#journal = journal;
    this.#transports = transports;
    this.#options = options;
    this.#clock = clock;
    this.#events = events;
  }

  /**
   * One batch: the first transport that answers wins; the next ones are fallbacks. The batch carries the
   * pending lots its scans need and the older ones before them (in journal order); later lots wait for their
   * own scans' batch. Every lot is journaled before its scans, so the lots pending now (read after the scans)
   * cover every scan in the batch: a scan never reaches the server before its lot.
   */
  async step(): Promise<UploadStep> {
    let batch = this.#journal.unsent(Math.min(this.#options.batchSize, maxBatchScans));
    const needed = new Set(batch.map((entry) => entry.lotId));
    const pending = this.#journal.unsentLots();
    let lots = pending.slice(0, pending.findLastIndex((lot) => needed.has(lot.lotId)) + 1);
    if (lots.length > maxBatchLots) {
      // more lots than one batch holds: they go first, on their own
      lots = lots.slice(0, maxBatchLots);
      batch = [];
    }
    if (batch.length === 0 && lots.length === 0) return 'idle';
    this.#journal.markSent(batch.map((entry) => entry.scanId));
    const uploads = batch.map((entry) => submissionOf(entry, this.#options.gateId));
    const lotUploads = lots.map((lot) => lotUploadOf(lot, this.#options.gateId));
    for (const transport of this.#transports) {
      const result = await transport.submit(uploads, lotUploads);
      if (!result.ok) {
        this.#events.failure?.(transport.name, result.error);
        continue;
      }
      this.#journal.settleLots(result.lots);
      const conflicts = this.#journal.acknowledge(result.answers, this.#clock.now());
      this.#journal.refuse(result.refusals, this.#clock.now());
      for (const conflict of conflicts) this.#events.conflict?.(conflict);
      for (const refusal of result.refusals) this.#events.refusal?.(refusal);
      const counts = this.#journal.counts();
      this.#events.progress?.(counts.pending + counts.sent);
      // part of the batch failed: back off rather than spin, the rest is re-sent next time
      return result.incomplete ? 'failed' : 'sent';
    }
    return 'failed';
  }

  /** Drains until nothing is left or every transport fails once. */
  async drain(): Promise<UploadStep> {
    for (;;) {
      const step = await this.step();
      if (step !== 'sent') return step;
    }
  }

  /** Runs in the background, backing off while the server is away, woken early by `nudge`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      let backoff = 100;
      while (this.#running) {
        const step = await this.drain();
        if (step === 'idle') backoff = 100;
        const wait = step === 'failed' ? backoff : 1000;
        if (step === 'failed') backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    })();
  }

  /** A new read was journaled: send it now rather than at the next tick. */
  nudge(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }
}
