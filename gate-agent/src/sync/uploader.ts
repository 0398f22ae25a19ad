import type { Journal, JournalEntry, ServerRefusal } from '../journal/journal.ts';
import type { LotTransport } from './lot-transport.ts';
import type { Clock } from './server-clock.ts';
import { type ScanTransport, submissionOf, type TransportError } from './transport.ts';

export interface UploaderEvents {
  /** after every batch, with what is left to send */
  progress(left: number): void;
  conflict(entry: JournalEntry): void;
  refusal(refusal: ServerRefusal): void;
  failure(transport: string, error: TransportError): void;
}

export interface UploaderOptions {
  gateId: number;
  batchSize: number;
  /** lots registered at once */
  inFlight: number;
  maxBackoffMs: number;
}

export type UploadStep = 'idle' | 'sent' | 'failed';

/**
 * Sends the journal to the server oldest first, one batch at a time, and only moves on once a batch is
 * acknowledged. A crash between send and acknowledgement just means the batch is sent again: the server
 * answers a known scanId with its first answer.
 */
export class Uploader {
  readonly #journal: Journal;
  readonly #transports: readonly ScanTransport[];
  readonly #lots: LotTransport;
  readonly #options: UploaderOptions;
  readonly #clock: Clock;
  readonly #events: Partial<UploaderEvents>;
  #running = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(
    journal: Journal,
    transports: readonly ScanTransport[],
    lots: LotTransport,
    options: UploaderOptions,
    clock: Clock,
    events: Partial<UploaderEvents> = {},
  ) {
    this.#journal = journal;
    this.#transports = transports;
    this.#lots = lots;
    this.#options = options;
    this.#clock = clock;
    this.#events = events;
  }

  /** One batch: the first transport that answers wins; the next ones are fallbacks. */
  async step(): Promise<UploadStep> {
    const batch = this.#journal.unsent(this.#options.batchSize);
    // Every lot is journaled before its scans, so registering the lots pending now (after reading the batch)
    // covers every scan in it: a scan never reaches the server before its lot.
    if (!(await this.#registerLots(new Set(batch.map((entry) => entry.lotId))))) return 'failed';
    if (batch.length === 0) return 'idle';
    this.#journal.markSent(batch.map((entry) => entry.scanId));
    const uploads = batch.map((entry) => submissionOf(entry, this.#options.gateId));
    for (const transport of this.#transports) {
      const result = await transport.submit(uploads);
      if (!result.ok) {
        this.#events.failure?.(transport.name, result.error);
        continue;
      }
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

  /**
   * Registers the pending lots this batch needs, and the older ones before them (in journal order), a window at
   * a time (lots do not depend on each other). Later lots wait for their own scans' batch.
   */
  async #registerLots(needed: ReadonlySet<string>): Promise<boolean> {
    const pending = this.#journal.unsentLots();
    const last = pending.findLastIndex((lot) => needed.has(lot.lotId));
    const lots = pending.slice(0, last + 1);
    for (let start = 0; start < lots.length; start += this.#options.inFlight) {
      const window = lots.slice(start, start + this.#options.inFlight);
      const results = await Promise.all(window.map((lot) => this.#lots.register(lot, this.#options.gateId)));
      for (const [i, result] of results.entries()) {
        if (!result.ok) {
          this.#events.failure?.('lots', result.error);
          return false;
        }
        this.#journal.settleLot(window[i]!.lotId, 'refused' in result ? result.refused : null);
      }
    }
    return true;
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
