import { type ChildProcess, spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const demoToken = 'lz-demo-gate-token-mawangdui-east-0001';

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** The public half of the root key a server made in its data folder, as a gate agent's config names it. */
export function rootPublicKeyIn(dataDir: string): string {
  const pem = readFileSync(join(dataDir, 'root-key.pem'), 'utf8');
  const spki = createPublicKey(createPrivateKey(pem)).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32).toString('base64url');
}

/** `tsx server/src/main.ts` itself, as an operator starts it, on the given database and port. */
export class RealServer {
  #child: ChildProcess | undefined;
  log = '';

  constructor(
    readonly env: {
      DATABASE_URL: string;
      DATA_DIR: string;
      PORT: string;
      LIANGZHENG_DEMO_HISTORY?: '0' | '1';
      /** '0' starts on an empty database (no demo world), as a real installation does */
      LIANGZHENG_DEMO?: '0' | '1';
    },
    readonly port = Number(env.PORT),
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        LIANGZHENG_DEMO: '1',
        ...this.env,
        HOST: '127.0.0.1',
        LIANGZHENG_ADMIN_PASSWORD: 'fault-test-admin',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.on('data', (d) => {
      this.log += d;
    });
    child.stderr?.on('data', (d) => {
      this.log += d;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${this.log}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`server did not start:\n${this.log}`);
  }

  /** SIGKILL: no shutdown hook runs, as when the machine loses power to the process. */
  async kill9(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export function scanBody(scanId: string, lotId: string, gateId: number, rawText: string): string {
  return JSON.stringify({
    scanId,
    lotId,
    gateId: String(gateId),
    provenance: {
      source: 'wedge',
      rawText,
      symbology: 'qr',
      keystrokeTimings: [12, 9, 11],
      deviceTime: new Date().toISOString(),
      decoder: 'fault-test',
    },
  });
}

export const deviceHeaders = { authorization: `Bearer ${demoToken}`, 'content-type': 'application/json' };

/** Registers `count` open lots at the demo gate over the API and returns their ids and the gate. */
export async function openLots(url: string, count: number): Promise<{ lots: string[]; gateId: number }> {
  const lots: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/api/v1/lots`, {
      method: 'POST',
      headers: deviceHeaders,
      body: JSON.stringify({
        declaration: {
          productName: '大白菜',
          productCode: 1001,
          category: 'vegetable',
          quantity: 10,
          unit: 'kg',
        },
      }),
    });
    if (res.status !== 201) throw new Error(`lot: ${res.status} ${await res.text()}`);
    lots.push(((await res.json()) as { lot: { id: string } }).lot.id);
  }
  const first = await fetch(`${url}/api/v1/lots/${lots[0]}`, { headers: deviceHeaders });
  const gateId = ((await first.json()) as { gateId: number }).gateId;
  return { lots, gateId };
}
