import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DemoGateReplayStarted, DemoGateReplayStatus } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';
import { DEMO_DEVICE_TOKEN } from './demo-data.ts';

/** The demo world's gate device (demo.ts), as whose gate the simulated scans arrive. */
const demoDeviceId = 'demo-gate-mawangdui-east';
const agentBin = fileURLToPath(new URL('../../../gate-agent/bin/gate-agent.js', import.meta.url));
export const demoGateScript = fileURLToPath(
  new URL('../../../gate-agent/simulate/demo-gate.json', import.meta.url),
);

export type DemoGateRefusal =
  | { code: 'DEMO_MODE_OFF'; message: string }
  | { code: 'DEMO_REPLAY_RUNNING'; message: string }
  | { code: 'DEMO_AGENT_MISSING'; message: string };

export type DemoGateStart =
  | { ok: true; started: DemoGateReplayStarted; pid: number | undefined }
  | { ok: false; error: DemoGateRefusal };

export interface DemoGateReplayDeps {
  /** the demo device's gate and market, when the database has the demo data and the device is not revoked */
  demoGate(): Promise<{ gateId: number; marketId: number } | undefined>;
  rootPublicKey: string;
  now(): Date;
  /** each line the simulated gate prints */
  onLine(line: string): void;
  /** a replay ended by itself (not because the server is stopping) */
  onExit(code: number | null): void;
}

/**
 * The simulated gate (`gate-agent simulate` with the demo script, as the demo gate device): started by
 * LIANGZHENG_SIMULATE_GATE at start-up or from the gate screen in demo mode, one replay at a time. Each replay
 * issues four fresh demo certificates and scans them by every input kind.
 */
export function createDemoGateReplay(deps: DemoGateReplayDeps) {
  let running: ChildProcess | undefined;
  let stopping = false;

  async function status(): Promise<DemoGateReplayStatus> {
    const gate = await deps.demoGate();
    return { available: gate !== undefined, running: running !== undefined, gateId: gate?.gateId ?? null };
  }

  async function start(serverUrl: string): Promise<DemoGateStart> {
    if (running) {
      return { ok: false, error: { code: 'DEMO_REPLAY_RUNNING', message: 'the simulated gate is playing' } };
    }
    const gate = await deps.demoGate();
    if (!gate) {
      return {
        ok: false,
        error: { code: 'DEMO_MODE_OFF', message: 'this server runs without demo data (LIANGZHENG_DEMO=1)' },
      };
    }
    if (!existsSync(agentBin)) {
      return { ok: false, error: { code: 'DEMO_AGENT_MISSING', message: `no gate agent at ${agentBin}` } };
    }
    const child = spawn(
      process.execPath,
      [
        ...[agentBin, 'simulate', demoGateScript, '--server', serverUrl, '--token', DEMO_DEVICE_TOKEN],
        ...['--gate', String(gate.gateId), '--root-key', deps.rootPublicKey, '--status-port', '0'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', deps.onLine);
    }
    child.once('exit', (code) => {
      running = undefined;
      if (!stopping) deps.onExit(code);
    });
    return {
      ok: true,
      started: { gateId: gate.gateId, startedAt: deps.now().toISOString() },
      pid: child.pid,
    };
  }

  return {
    status,
    start,
    /** Stops a replay still playing: the server is shutting down. */
    stop(): void {
      stopping = true;
      running?.kill('SIGTERM');
    },
  };
}
export type DemoGateReplay = ReturnType<typeof createDemoGateReplay>;

/** Where the simulated gate reaches this server: a wildcard address on loopback, a specific one as it is. */
export function replayServerUrl(
  address: AddressInfo | string | null,
  configuredHost: string,
): string | undefined {
  if (!address || typeof address === 'string') return undefined;
  const host = configuredHost === '0.0.0.0' ? '127.0.0.1' : configuredHost === '::' ? '::1' : configuredHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** The demo device's gate, read from the database: present only when the demo data was seeded. */
export function demoGateOf(db: Db) {
  return async () => {
    const device = await db.device.findUnique({
      where: { id: demoDeviceId },
      select: { revoked: true, gate: { select: { id: true, marketId: true } } },
    });
    return device && !device.revoked ? { gateId: device.gate.id, marketId: device.gate.marketId } : undefined;
  };
}
