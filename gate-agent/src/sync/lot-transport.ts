import type { JournalLot } from '../journal/journal.ts';
import { lotUploadOf, type TransportError } from './transport.ts';

/** `settled`: the server has the lot (created now or before); `refused`: it never will, with the code. */
export type LotResult =
  | { ok: true; settled: true }
  | { ok: true; refused: string }
  | { ok: false; error: TransportError };

export interface LotTransport {
  register(lot: JournalLot, gateId: number): Promise<LotResult>;
}

/** `POST /api/v1/lots` with the agent's own lot id, so a re-send after a crash finds the lot already there. */
export class HttpLotTransport implements LotTransport {
  readonly #url: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(serverUrl: string, deviceToken: string, timeoutMs: number) {
    this.#url = new URL('/api/v1/lots', serverUrl).toString();
    this.#token = deviceToken;
    this.#timeoutMs = timeoutMs;
  }

  async register(lot: JournalLot, gateId: number): Promise<LotResult> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#token}` },
        body: JSON.stringify(lotUploadOf(lot, gateId)),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      return { ok: false, error: { code: 'UNREACHABLE', detail: String(cause) } };
    }
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    if (response.ok) return { ok: true, settled: true };
    const code = body?.error?.code ?? `HTTP_${response.status}`;
    if (code === 'ALREADY_EXISTS') return { ok: true, settled: true };
    if (response.status === 401) return { ok: false, error: { code: 'UNAUTHORIZED', detail: code } };
    if (response.status >= 500 || response.status === 429) {
      return { ok: false, error: { code: 'UNREACHABLE', detail: code } };
    }
    return { ok: true, refused: code };
  }
}

/** Accepts every lot and records it: for unit tests of the uploader. */
export class RecordedLotTransport implements LotTransport {
  readonly registered: string[] = [];
  async register(lot: JournalLot): Promise<LotResult> {
    this.registered.push(lot.lotId);
    return { ok: true, settled: true };
  }
}
