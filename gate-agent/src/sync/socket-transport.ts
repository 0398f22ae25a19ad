import type { ScanSubmission } from '@liangzheng/domain';
import { io, type Socket } from 'socket.io-client';
import { parseAnswer } from './server-answer.ts';
import { pipeline, type ScanTransport, type SubmitResult } from './transport.ts';

export interface SocketTransportOptions {
  serverUrl: string;
  deviceToken: string;
  window: number;
  timeoutMs: number;
}

/**
 * `scan:submit` with an acknowledgement, on the agent's one socket. socket.io keeps emit order on a
 * connection, so the server sees scans in journal order. The clock is not learnt from acks: a re-sent scan
 * is answered with its first answer, whose time may be long past.
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
      let ack: unknown;
      try {
        ack = await this.socket.timeout(this.#options.timeoutMs).emitWithAck('scan:submit', submission);
      } catch (cause) {
        return { code: 'TIMEOUT', detail: String(cause) };
      }
      return parseAnswer(submission.scanId, ack);
    });
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
