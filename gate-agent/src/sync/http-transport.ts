import type { ScanSubmission } from '@liangzheng/domain';
import { parseAnswer } from './server-answer.ts';
import { pipeline, type ScanTransport, type ServerTimeObserver, type SubmitResult } from './transport.ts';

export interface HttpTransportOptions {
  serverUrl: string;
  deviceToken: string;
  /** requests in flight at once; the server is idempotent, so a retry after a partial batch is safe */
  window: number;
  timeoutMs: number;
  onServerTime?: ServerTimeObserver;
  /** the gate PC's own clock, which the server time is compared with */
  localClock?: () => Date;
}

/** `POST /api/v1/scans`, the fallback when the socket is down or blocked by a proxy. */
export class HttpTransport implements ScanTransport {
  readonly name = 'http';
  readonly #options: HttpTransportOptions;
  readonly #url: string;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#url = new URL('/api/v1/scans', options.serverUrl).toString();
  }

  submit(batch: readonly ScanSubmission[]): Promise<SubmitResult> {
    return pipeline(batch, this.#options.window, async (submission) => {
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
          body: JSON.stringify(submission),
          signal: AbortSignal.timeout(this.#options.timeoutMs),
        });
      } catch (cause) {
        const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
        return { code: timedOut ? 'TIMEOUT' : 'UNREACHABLE', detail: String(cause) };
      }
      this.#options.onServerTime?.(Date.parse(response.headers.get('date') ?? '') + 500, sentAt, now());
      if (response.status === 401) {
        await response.body?.cancel();
        return { code: 'UNAUTHORIZED', detail: `HTTP ${response.status}` };
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.status >= 500 || response.status === 429) {
        return { code: 'UNREACHABLE', detail: `HTTP ${response.status}` };
      }
      return parseAnswer(submission.scanId, body);
    });
  }
}
