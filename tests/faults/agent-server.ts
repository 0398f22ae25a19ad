import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

import { rootPublicKeyIn } from './real-server.ts';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const agentBin = join(repoRoot, 'gate-agent/bin/gate-agent.js');
export const demoDeviceToken = 'lz-demo-gate-token-mawangdui-east-0001';
export const demoDeviceId = 'demo-gate-mawangdui-east';
export const demoPassword = 'liangzheng-demo';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

export interface ServerScan {
  id: string;
  source: string;
  rawText: string;
  deviceTime: number | null;
  receivedAt: number;
  outcome: string;
  reasons: string[];
  conflict: number;
}

/**
 * The real server, as a child process on SQLite with the demo data, on its own port and data folder. It can
 * be stopped and started again on the same data, as an outage would.
 */
export class ServerProcess {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'lz-fault-server-'));
  readonly port: number;
  #child: ChildProcess | null = null;
  #log = '';

  readonly #env: Record<string, string>;

  private constructor(port: number, env: Record<string, string>) {
    this.port = port;
    this.#env = env;
  }

  /** `env` adds to (or overrides) the server's environment, e.g. a higher rate limit for a benchmark. */
  static async start(env: Record<string, string> = {}): Promise<ServerProcess> {
    const server = new ServerProcess(await freePort(), env);
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get dbPath(): string {
    return join(this.dataDir, 'liangzheng.db');
  }

  async start(): Promise<void> {
    const serverMain = join(repoRoot, 'server/src/main.ts');
    const entry = existsSync(serverMain) ? serverMain : join(repoRoot, 'tests/faults/agent-server-main.ts');
    this.#child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: join(repoRoot, 'server'),
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        DATABASE_URL: `file:${this.dbPath}`,
        LIANGZHENG_DEMO: '1',
        // the demo world alone: these tests count the scans and lots they made themselves
        LIANGZHENG_DEMO_HISTORY: '0',
        LIANGZHENG_ADMIN_PASSWORD: 'fault-test-admin',
        LOG_LEVEL: 'warn',
        ...this.#env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#log = '';
    this.#child.stdout?.on('data', (chunk) => (this.#log += chunk));
    this.#child.stderr?.on('data', (chunk) => (this.#log += chunk));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null)
        throw new Error(`server exited ${this.#child.exitCode}:\n${this.#log}`);
      const ok = await fetch(`${this.url}/health`)
        .then((r) => r.status < 500) // any answer means it listens; /health is the server's to add
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`server did not answer /health within 60 s:\n${this.#log}`);
  }

  /** What the server (and any child it started, such as a simulated gate) printed since its last start. */
  get log(): string {
    return this.#log;
  }

  /** Resolves with the first match of `pattern` in the server's output since its last start. */
  async waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.#log.match(pattern);
      if (match) return match;
      if (this.#child?.exitCode !== null) throw new Error(`server exited:\n${this.#log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.#log}`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    this.#child = null;
  }

  /** The public half of the root key the server made in its data folder. */
  rootPublicKey(): string {
    return rootPublicKeyIn(this.dataDir);
  }

  /** What the server stored for the demo device, in the order it stored them; times in epoch ms. */
  scans(): ServerScan[] {
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    // SQLite DateTime columns hold epoch ms or ISO text, depending on which driver wrote the row
    const ms = (value: unknown) => (typeof value === 'number' ? value : Date.parse(String(value)));
    try {
      const rows = db
        .prepare(
          `SELECT id, source, rawText, deviceTime, receivedAt, outcome, reasons, conflict FROM "Scan"
           WHERE deviceId = ? ORDER BY rowid`,
        )
        .all(demoDeviceId) as Record<string, unknown>[];
      return rows.map((row) => ({
        id: String(row.id),
        source: String(row.source),
        rawText: String(row.rawText),
        deviceTime: row.deviceTime === null ? null : ms(row.deviceTime),
        receivedAt: ms(row.receivedAt),
        outcome: String(row.outcome),
        reasons: JSON.parse(String(row.reasons)) as string[],
        conflict: Number(row.conflict),
      }));
    } finally {
      db.close();
    }
  }

  demoGateId(): number {
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT gateId FROM "Device" WHERE id = ?').get(demoDeviceId) as { gateId: number })
        .gateId;
    } finally {
      db.close();
    }
  }

  #producer: Promise<{ headers: Record<string, string>; issuerId: number }> | null = null;

  /** Logs in once as the demo cooperative (logins are rate-limited). */
  #producerSession(): Promise<{ headers: Record<string, string>; issuerId: number }> {
    this.#producer ??= this.#login();
    return this.#producer;
  }

  async #login(): Promise<{ headers: Record<string, string>; issuerId: number }> {
    const login = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lvyuan_coop', password: demoPassword }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { user, csrfToken } = (await login.json()) as {
      user: { scope: { issuerId: number } };
      csrfToken: string;
    };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return {
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      issuerId: user.scope.issuerId,
    };
  }

  /** Issues a certificate as the demo cooperative through the real API; returns its code text. */
  async issueCode(fields: Record<string, unknown> = {}): Promise<string> {
    const session = await this.#producerSession();
    const issued = await fetch(`${this.url}/api/v1/certificates`, {
      method: 'POST',
      headers: session.headers,
      body: JSON.stringify({
        issuerId: session.issuerId,
        productCode: 1001,
        quantity: 5000,
        unit: 'kg',
        originRegion: '430121',
        basis: 'self_tested',
        ...fields,
      }),
    });
    if (!issued.ok) throw new Error(`issue failed: ${issued.status} ${await issued.text()}`);
    return ((await issued.json()) as { certificate: { code: string } }).certificate.code;
  }
}

/**
 * Runs `gate-agent simulate` as its own process, the way a gate PC runs the agent. Its output is drained
 * (an unread pipe would stall it) and kept for the failure message.
 */
export function spawnAgent(
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [agentBin, 'simulate', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return Object.assign(child, { output: () => output });
}

/** A journal file of its own for one simulated gate. */
export function freshJournalPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'lz-fault-agent-')), 'journal.sqlite');
}

/** `gate-agent simulate` arguments for a gate of `server` running `script` with its journal at `journalPath`. */
export function simulateArgs(
  server: ServerProcess,
  script: string,
  journalPath: string,
  extra: string[] = [],
): string[] {
  return [
    script,
    '--server',
    server.url,
    '--gate',
    String(server.demoGateId()),
    '--root-key',
    server.rootPublicKey(),
    '--journal',
    journalPath,
    '--no-status-page',
    ...extra,
  ];
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r(child.exitCode);
    else child.once('exit', (code) => r(code));
  });
}
