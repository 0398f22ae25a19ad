import type { ScanSubmission } from '@liangzheng/domain';
import { parseBatchAnswer } from './server-answer.ts';
import type { LotUpload, ScanTransport, ServerTimeObserver, SubmitResult } from './transport.ts';

export interface HttpTransportOptions {
  serverUrl: string;
  deviceToken: string;
  timeoutMs: number;
  onServerTime?: ServerTimeObserver;
  /** the gate PC's own clock, which the server time is compared with */
  localClock?: () => Date;
}

/**
 * `POST /api/v1/scans/batch`, the fallback when the socket is down or blocked by a proxy: the same batch as
 * the socket sends, one request per batch (one rate-limit token however many scans it carries).
 */
export class HttpTransport implements ScanTransport {
  readonly name = 'http';
  readonly #options: HttpTransportOptions;
  readonly #url: string;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#url = new URL('/api/v1/scans/batch', options.serverUrl).toString();
  }

  async submit(
    scans: readonly ScanSubmission[],
    lots: readonly LotUpload[] = [],
    closes: readonly string[] = [],
  ): Promise<SubmitResult> {
    const now = this.#options.localClock ?? (() => new Date());
    const sentAt = now();
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.#options.deviceToken}`,
        },
        body: JSON.stringify({ lots, scans, closes }),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      return { ok: false, error: { code: timedOut ? 'TIMEOUT' : 'UNREACHABLE', detail: String(cause) } };
    }
    this.#options.onServerTime?.(Date.parse(response.headers.get('date') ?? '') + 500, sentAt, now());
    if (response.status === 401) {
      await response.body?.cancel();
      return { ok: false, error: { code: 'UNAUTHORIZED', detail: `HTTP ${response.status}` } };
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status >= 500 || response.status === 429) {
      return { ok: false, error: { code: 'UNREACHABLE', detail: `HTTP ${response.status}` } };
    }
    return parseBatchAnswer(
      scans.map((scan) => scan.scanId),
      lots.map((lot) => lot.id),
      body,
      closes,
    );
  }
}
