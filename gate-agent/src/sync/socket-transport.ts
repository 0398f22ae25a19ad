import type { ScanSubmission } from '@liangzheng/domain';
import { io, type Socket } from 'socket.io-client';
import { parseAnswer } from './server-answer.ts';
import { pipeline, type ScanTransport, type ServerTimeObserver, type SubmitResult } from './transport.ts';

export interface SocketTransportOptions {
  serverUrl: string;
  deviceToken: string;
  window: number;
  timeoutMs: number;
  onServerTime?: ServerTimeObserver;
}

/**
 * `scan:submit` with an acknowledgement, on the agent's one socket. socket.io keeps emit order on a
 * connection, so the server sees scans in journal order.
 */
export class SocketTransport implements ScanTransport {
  readonly name = 'socket';
  readonly socket: Socket;
  readonly #options: SocketTransportOptions;

  constructor(options: SocketTransportOptions) {
    this.#options = options;
    this.socket = io(options.serverUrl, {
      auth: { token: options.deviceToken },
      extraHeaders: { authorization: `Bearer ${options.deviceToken}` },
      transports: ['websocket'],
      reconnectionDelayMax: 5000,
    });
  }

  submit(batch: readonly ScanSubmission[]): Promise<SubmitResult> {
    if (!this.socket.connected) {
      return Promise.resolve({ ok: false, error: { code: 'UNREACHABLE', detail: 'socket not connected' } });
    }
    return pipeline(batch, this.#options.window, async (submission) => {
      const sentAt = new Date();
      let ack: unknown;
      try {
        ack = await this.socket.timeout(this.#options.timeoutMs).emitWithAck('scan:submit', submission);
      } catch (cause) {
        return { code: 'TIMEOUT', detail: String(cause) };
      }
      const receivedAt = receivedAtOf(ack);
      if (receivedAt !== null) this.#options.onServerTime?.(receivedAt, sentAt, new Date());
      return parseAnswer(submission.scanId, ack);
    });
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}

function receivedAtOf(ack: unknown): number | null {
  const body = ack && typeof ack === 'object' && 'answer' in ack ? (ack as { answer: unknown }).answer : ack;
  if (!body || typeof body !== 'object' || !('receivedAt' in body)) return null;
  const ms = Date.parse(String((body as { receivedAt: unknown }).receivedAt));
  return Number.isNaN(ms) ? null : ms;
}
