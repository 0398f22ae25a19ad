import { randomUUID } from 'node:crypto';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { Journal } from '@liangzheng/gate-agent/journal/journal';
import { ServerClock, systemClock } from '@liangzheng/gate-agent/sync/server-clock';
import { fetchTrust, TrustCache } from '@liangzheng/gate-agent/sync/trust-download';
import { provisionalVerdict } from '@liangzheng/gate-agent/verdict/provisional';
import type { DemoLogins } from '@liangzheng/server/demo/demo';
import type { Keyring } from '@liangzheng/server/keyring/keyring';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demo-server.ts';

/**
 * docs/custody.md, unverified sources: a repack made partly from a paper source reaches a gate agent through the
 * signed trust data (the full snapshot, and the increment to a gate that already held one), and the agent, with
 * the server gone, judges its code `review` (UNVERIFIED_SOURCES) with the same core the server uses.
 */
let server: DemoServer;
let app: FastifyInstance;
let keyring: Keyring;
let demo: DemoLogins;
let url: string;

beforeAll(async () => {
  server = await startDemoServer({ name: 'lz-agent-unverified-' });
  ({ app, demo, url } = server);
  keyring = app.keyring;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** A console login's headers: the session cookie and its CSRF token. */
async function login(username: string): Promise<Record<string, string>> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: demo.password },
  });
  const session = res.cookies.find((cookie) => cookie.name === 'lz_session')?.value;
  return { cookie: `lz_session=${session}`, 'x-csrf-token': res.json().csrfToken };
}

async function call(method: 'POST' | 'GET', path: string, headers: Record<string, string>, payload?: object) {
  const res = await app.inject({ method, url: `/api/v1${path}`, headers, ...(payload ? { payload } : {}) });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

const cabbage = { productName: '大白菜', productCode: 1001, category: 'vegetable', unit: 'kg' } as const;

/** 100 kg of 大白菜 accepted at the east gate for A-01, then repacked there with 2 kg on a paper certificate. */
async function flaggedRepack(): Promise<{ id: string; code: string }> {
  const producer = await login(demo.users.producer);
  const { certificate } = await call('POST', '/certificates', producer, {
    issuerId: demo.issuers.coop,
    productCode: 1001,
    quantity: 100,
    unit: 'kg',
    originRegion: '430182',
    originText: '',
    basis: 'self_tested',
  });
  const device = { authorization: `Bearer ${demo.deviceToken}` };
  const { lot } = await call('POST', '/lots', device, {
    stallId: demo.stalls.a01,
    declaration: { ...cabbage, quantity: 100 },
  });
  const scan = await call('POST', '/scans', device, {
    scanId: randomUUID(),
    lotId: lot.id,
    gateId: demo.gates.wholesaleEast,
    provenance: {
      source: 'hid',
      rawText: certificate.code,
      symbology: 'qr',
      keystrokeTimings: [],
      deviceTime: new Date().toISOString(),
      decoder: 'test',
    },
  });
  expect(scan.verdict.outcome).toBe('accept');
  const vendor = await login(demo.users.vendor);
  const made = await call('POST', `/stalls/${demo.stalls.a01}/transformations`, vendor, {
    kind: 'repack',
    inputs: [{ itemId: `lot:${lot.id}:${certificate.id}`, quantity: 10 }],
    unverifiedSources: [{ kind: 'paper', description: '大白菜，王五的纸质合格证', quantity: 2, unit: 'kg' }],
    outputs: [{ quantity: 11 }],
  });
  return made.outputs[0];
}

function gateTrust() {
  const journal = new Journal(':memory:');
  const clock = new ServerClock(systemClock, journal);
  const cache = new TrustCache(journal, clock, nodeEd25519, [keyring.rootPublicKey]);
  const refresh = async () => {
    const fetched = await fetchTrust(url, demo.deviceToken, cache.held, clock, 10_000);
    return fetched.ok ? cache.accept(fetched.body) : fetched;
  };
  return { cache, refresh, close: () => journal.close() };
}

describe('a repack with an unverified source at an offline gate agent', () => {
  it('arrives in the full snapshot and in the increment, and the agent judges it review offline', async () => {
    const holding = gateTrust();
    expect(await holding.refresh()).toMatchObject({ ok: true });
    const output = await flaggedRepack();

    const fresh = gateTrust();
    expect(await fresh.refresh()).toMatchObject({ ok: true });
    expect(await holding.refresh()).toMatchObject({ ok: true, changed: true });
    await app.close();

    for (const gate of [fresh, holding]) {
      expect(gate.cache.state?.index.unverifiedSources.has(output.id)).toBe(true);
      const verdict = provisionalVerdict({
        text: output.code,
        lot: { id: 'offline-lot', declaration: { ...cabbage, quantity: 11 }, documents: [], auto: false },
        trust: gate.cache.state,
        now: new Date(),
        maxSnapshotAgeHours: 24,
        ed25519: nodeEd25519,
      });
      expect(verdict.outcome).toBe('review');
      expect(verdict.reasons[0]?.code).toBe('UNVERIFIED_SOURCES');
      gate.close();
    }
  }, 60_000);
});
