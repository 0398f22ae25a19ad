import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { io } from 'socket.io-client';

/**
 * The load generator, in its own process so it has its own event loop and core: offered load at a fixed rate (open loop,
 * latency measured from the scheduled send time so queueing is not hidden) or as fast as a fixed number of
 * requests in flight allow (closed loop, for the maximum).
 */
export interface LoadJob {
  transport: 'http' | 'socket';
  base: string;
  token: string;
  gateId: number;
  lots: string[];
  codes: string[];
  /** scans per second; 0 = as fast as `inFlight` allows */
  rate: number;
  inFlight: number;
  seconds: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  latenciesMs: number[];
}

let job: LoadJob;

function body(i: number): string {
  return JSON.stringify({
    scanId: randomUUID(),
    lotId: job.lots[i]!,
    gateId: String(job.gateId),
    provenance: {
      source: 'hid',
      rawText: job.codes[i % job.codes.length]!,
      symbology: 'qr',
      keystrokeTimings: [],
      deviceTime: new Date().toISOString(),
      decoder: 'bench',
    },
  });
}

/**
 * A minimal keep-alive HTTP/1.1 client over raw sockets: node's http.request costs about as much CPU as the
 * server's handling, and client and server share two cores, so a heavy client would measure itself.
 */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((status: number) => void) | undefined;
  private readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', () => this.finish(0));
  }

  request(head: string, payload: string): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(`${head}content-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private finish(status: number): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(status);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < end + 4 + length) return;
    this.buffer = this.buffer.subarray(end + 4 + length);
    this.finish(Number(head.slice(9, 12)));
  }
}

async function run(): Promise<LoadResult> {
  const url = new URL(job.base);
  const head = `POST /api/v1/scans HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${job.token}\r\ncontent-type: application/json\r\n`;
  const idle: Connection[] = [];
  const all: Connection[] = [];
  const socket =
    job.transport === 'socket'
      ? io(job.base, { transports: ['websocket'], auth: { token: job.token }, reconnection: false })
      : undefined;
  if (socket)
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('connect_error', reject),
    );

  const send = async (i: number): Promise<boolean> => {
    if (socket) {
      return socket
        .timeout(10_000)
        .emitWithAck('scan:submit', JSON.parse(body(i)))
        .then((ack: { ok: boolean }) => ack.ok)
        .catch(() => false);
    }
    let connection = idle.pop();
    if (!connection) {
      connection = new Connection(Number(url.port));
      all.push(connection);
    }
    const status = await connection.request(head, body(i));
    idle.push(connection);
    return status === 200;
  };

  const latenciesMs: number[] = [];
  let ok = 0;
  let failed = 0;
  let sent = 0;
  const limit = Math.min(job.lots.length, job.rate > 0 ? Math.ceil(job.rate * job.seconds) : job.lots.length);
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const record = (scheduled: number, success: boolean) => {
    latenciesMs.push(performance.now() - scheduled);
    if (success) ok++;
    else failed++;
  };

  if (job.rate > 0) {
    const pending: Promise<void>[] = [];
    while (sent < limit) {
      const scheduled = started + (sent * 1000) / job.rate;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const i = sent++;
      pending.push(send(i).then((success) => record(scheduled, success)));
    }
    await Promise.all(pending);
  } else {
    const lane = async () => {
      while (sent < limit && performance.now() < deadline) {
        const i = sent++;
        const scheduled = performance.now();
        record(scheduled, await send(i));
      }
    };
    await Promise.all(Array.from({ length: job.inFlight }, lane));
  }
  const elapsedMs = performance.now() - started;
  socket?.close();
  for (const connection of all) connection.close();
  return { sent, ok, failed, elapsedMs, latenciesMs };
}

process.once('message', (message: LoadJob) => {
  job = message;
  run().then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error) => process.send?.({ error: String(error) }, () => process.exit(1)),
  );
});
