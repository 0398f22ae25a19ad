import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GateStatus } from './gate-status.ts';
import { statusPageHtml } from './status-page.html.ts';

/**
 * The gate's own screen on localhost: one HTML page fed by server-sent events. It never asks for input,
 * so it cannot steal focus from a keyboard-wedge scanner.
 */
export class StatusPage {
  readonly #clients = new Set<ServerResponse>();
  readonly #server: Server;
  #status: GateStatus;
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(initial: GateStatus) {
    this.#status = initial;
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET') {
        res.writeHead(405).end();
      } else if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(statusPageHtml);
      } else if (url.pathname === '/status') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.#status));
      } else if (url.pathname === '/events') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(`data: ${JSON.stringify(this.#status)}\n\n`);
        this.#clients.add(res);
        req.on('close', () => this.#clients.delete(res));
      } else {
        res.writeHead(404).end();
      }
    });
  }

  /** Binds to loopback only: the page is for the gate's own screen. Returns the bound port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    // keeps proxies and idle browsers from dropping the stream
    this.#heartbeat = setInterval(() => this.#broadcast(': ping\n\n'), 15_000);
    this.#heartbeat.unref();
    return (this.#server.address() as AddressInfo).port;
  }

  get status(): GateStatus {
    return this.#status;
  }

  update(change: Partial<GateStatus>): void {
    this.#status = { ...this.#status, ...change };
    this.#broadcast(`data: ${JSON.stringify(this.#status)}\n\n`);
  }

  #broadcast(message: string): void {
    for (const client of this.#clients) client.write(message);
  }

  async close(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
