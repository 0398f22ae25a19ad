import type { Journal, JournalEntry, JournalLot, ServerRefusal } from '../journal/journal.ts';
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
 * Paper photos in one batch, in base64 characters: well inside the server's 8 MiB batch body, with room for
 * 500 scans beside them. A lot with a photo larger than this still goes, alone.
 */
const maxBatchPhotoChars = 2_000_000;

/** The oldest lots that fit one batch, in journal order. */
function lotsForBatch(pending: readonly JournalLot[]): JournalLot[] {
  let photoChars = 0;
  const batch: JournalLot[] = [];
  for (const lot of pending) {
    const chars = lot.arrival.documents.reduce((sum, document) => sum + (document.photo?.length ?? 0), 0);
    if (batch.length > 0 && photoChars + chars > maxBatchPhotoChars) break;
    photoChars += chars;
    batch.push(lot);
  }
  return batch;
}

/**
 * Sends the journal to the server oldest first, one batch at a time (lots, then scans, in one message), and
 * only moves on once a batch is acknowledged. Lots go in journal order whether or not they have scans, so
 * the server hears of every arrival (and can judge one never scanned MISSING). A crash between send and
 * acknowledgement just means the batch is sent again: the server answers a known scanId with its first answer
 * and a known lot id as already there.
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
   * oldest pending lots and the oldest unsent scans, both read through pending-only indexes, so a step costs
   * the size of a batch however long the backlog. A scan whose lot is still pending and not in this batch
   * (more lots waiting than one batch holds) waits, with every scan after it: a scan never reaches the server
   * before its lot, and scans keep their order.
   */
  async step(): Promise<UploadStep> {
    const lots = lotsForBatch(this.#journal.unsentLots(Math.min(this.#options.batchSize, maxBatchLots)));
    let batch = this.#journal.unsent(Math.min(this.#options.batchSize, maxBatchScans));
    const carried = new Set(lots.map((lot) => lot.lotId));
    const waiting = this.#journal.pendingAmong(
      batch.map((entry) => entry.lotId).filter((lotId) => !carried.has(lotId)),
    );
    const firstWaiting = batch.findIndex((entry) => waiting.has(entry.lotId));
    if (firstWaiting >= 0) batch = batch.slice(0, firstWaiting);
    // Closes go once their lot and all its scans are answered: a batch carrying either waits for the next one.
    const closes = batch.length === 0 && lots.length === 0 ? this.#journal.readyCloses(maxBatchLots) : [];
    if (batch.length === 0 && lots.length === 0 && closes.length === 0) return 'idle';
    this.#journal.markSent(batch.map((entry) => entry.scanId));
    const uploads = batch.map((entry) => submissionOf(entry, this.#options.gateId));
    const lotUploads = lots.map((lot) => lotUploadOf(lot, this.#options.gateId));
    for (const transport of this.#transports) {
      const result = await transport.submit(uploads, lotUploads, closes);
      if (!result.ok) {
        this.#events.failure?.(transport.name, result.error);
        continue;
      }
      this.#journal.settleLots(result.lots);
      if (result.closes) this.#journal.settleCloses(result.closes);
      const conflicts = this.#journal.acknowledge(result.answers, this.#clock.now());
      this.#journal.refuse(result.refusals, this.#clock.now());
      for (const conflict of conflicts) this.#events.conflict?.(conflict);
      for (const refusal of result.refusals) this.#events.refusal?.(refusal);
      const counts = this.#journal.counts();
      this.#events.progress?.(
        counts.pending + counts.sent + this.#journal.pendingLotCount() + this.#journal.pendingCloseCount(),
      );
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
