import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDeviceId, freePort, repoRoot } from '../faults/agent-server.ts';

/**
 * `npm start` with LIANGZHENG_SIMULATE_GATE=1: server/src/main.ts itself, which spawns `gate-agent simulate`
 * with the demo script against itself once it listens. Everything real: server, agent, ffmpeg, SQLite.
 */
class DemoServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'lz-demo-gate-'));
  log = '';
  #child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  start(): void {
    this.log = '';
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/src/main.ts')], {
      cwd: join(repoRoot, 'server'),
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        DATABASE_URL: `file:${join(this.dataDir, 'liangzheng.db')}`,
        LIANGZHENG_DEMO: '1',
        LIANGZHENG_SIMULATE_GATE: '1',
        LIANGZHENG_ADMIN_PASSWORD: 'demo-gate-test-admin',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.on('data', (chunk) => (this.log += chunk));
    child.stderr?.on('data', (chunk) => (this.log += chunk));
  }

  /** Resolves with the first match of `pattern` in the server's output (the simulated gate's lines included). */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.log.match(pattern);
      if (match) return match;
      if (this.#child?.exitCode !== null) throw new Error(`server exited:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.log}`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  /** What the server stored from the demo gate device, in order. */
  scans(): { source: string; outcome: string; reasons: string[] }[] {
    const db = new Database(join(this.dataDir, 'liangzheng.db'), { readonly: true, fileMustExist: true });
    try {
      return (
        db
          .prepare('SELECT source, outcome, reasons FROM "Scan" WHERE deviceId = ? ORDER BY rowid')
          .all(demoDeviceId) as { source: string; outcome: string; reasons: string }[]
      ).map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as string[] }));
    } finally {
      db.close();
    }
  }
}

/** `#step input 中文 outcome [REASONS] text`, as `gate-agent simulate` prints a read (reasons may be empty) */
const gateLine =
  /^ {2}\[模拟闸口 simulated gate\] #(\d+) (\w+)\s+\S+ (accept|review|reject)\s+(?:([A-Z_,]+)\s+)?\S+$/;

/** One line per read step of gate-agent/simulate/demo-gate.json: step, input, verdict, reasons. */
const expectedSteps = [
  ['1', 'wedge', 'accept', ''],
  ['2', 'wedge', 'accept', 'DUPLICATE_READ'],
  ['4', 'wedge', 'accept', ''],
  ['6', 'hid', 'accept', ''],
  ['8', 'camera', 'accept', ''],
  ['10', 'manual', 'review', 'UNVERIFIABLE'],
  ['12', 'wedge', 'review', 'UNVERIFIABLE'],
  ['14', 'wedge', 'review', 'MALFORMED'],
];

let server: DemoServer;
beforeAll(async () => {
  server = new DemoServer(await freePort());
}, 10_000);
afterAll(async () => {
  await server?.stop();
});

describe('npm start with LIANGZHENG_SIMULATE_GATE=1', () => {
  it('plays the demo script once: every input kind, the camera one included, gets its verdict', async () => {
    server.start();
    await server.waitFor(/\[模拟闸口 simulated gate\] done \(exit (\d+)\)/, 150_000);
    expect(server.log).toContain('done (exit 0)');
    const steps = server.log.split('\n').flatMap((line) => {
      const match = gateLine.exec(line);
      return match ? [[match[1], match[2], match[3], match[4] ?? '']] : [];
    });
    expect(steps).toEqual(expectedSteps);
    expect(server.log).toMatch(
      /8 scans \(\+\d+ repeats kept locally\), acked 8, conflict 0, refused 0, unsent 0/,
    );
    // the server's own verdicts agree, and the camera read reached it as a camera scan
    expect(server.scans().map((scan) => [scan.source, scan.outcome, scan.reasons.join()])).toEqual(
      expectedSteps.map(([, source, outcome, reasons]) => [source, outcome, reasons]),
    );
  }, 180_000);

  it('stops the simulated gate when the server stops, and plays again on the next start', async () => {
    await server.stop();
    server.start();
    const [, pid] = await server.waitFor(/Simulated gate \(pid (\d+)\)/, 60_000);
    await server.waitFor(/\[模拟闸口 simulated gate\] #1 /, 60_000);
    await server.stop();
    // gone, or a zombie nobody reaped yet (its parent, the server, has exited)
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    expect(server.log).not.toContain('done (exit');
  }, 120_000);
});
