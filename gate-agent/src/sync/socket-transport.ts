import type { ScanSubmission } from '@liangzheng/domain';
import { io, type Socket } from 'socket.io-client';
import { parseBatchAnswer } from './server-answer.ts';
import type { LotUpload, ScanTransport, SubmitResult } from './transport.ts';

export interface SocketTransportOptions {
  serverUrl: string;
  deviceToken: string;
  timeoutMs: number;
}

/**
 * `scan:submit-batch` with an acknowledgement, on the agent's one socket: a whole batch (lots, then scans) in
 * one message and one ack with per-item answers in order. The clock is not learnt from acks: a re-sent scan
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

  async submit(
    scans: readonly ScanSubmission[],
    lots: readonly LotUpload[] = [],
    closes: readonly string[] = [],
  ): Promise<SubmitResult> {
    if (!this.socket.connected)
      return { ok: false, error: { code: 'UNREACHABLE', detail: 'socket not connected' } };
    let ack: unknown;
    try {
      ack = await this.socket
        .timeout(this.#options.timeoutMs)
        .emitWithAck('scan:submit-batch', { lots, scans, closes });
    } catch (cause) {
      return { ok: false, error: { code: 'TIMEOUT', detail: String(cause) } };
    }
    return parseBatchAnswer(
      scans.map((scan) => scan.scanId),
      lots.map((lot) => lot.id),
      ack,
      closes,
    );
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
