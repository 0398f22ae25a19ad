import { randomUUID } from 'node:crypto';
import { type RunningAgent, startAgent } from '@liangzheng/gate-agent/main';
import type { DemoLogins } from '@liangzheng/server/demo/demo';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer, testDatabaseKind } from './demo-server.ts';

/**
 * The real server (SQLite, or PostgreSQL with LZ_TEST_DB=postgresql) and the real gate agent: a recall pushed live
 * (two `trust:revocation` batches for 1,202 certificates) reaches the agent's trust snapshot without a download,
 * and with the server stopped the agent refuses a recalled repack's code REVOKED — also after a restart, since
 * each batch is kept in its journal.
 */
let server: DemoServer;
let app: FastifyInstance;
let prisma: DemoServer['prisma'];
let demo: DemoLogins;
let agentConfig: Parameters<typeof startAgent>[0];
const agents: RunningAgent[] = [];

beforeAll(async () => {
  server = await startDemoServer({ name: 'lz-agent-recall-', database: testDatabaseKind });
  ({ app, prisma, demo } = server);
  agentConfig = await server.agentConfig();
}, 120_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop().catch(() => {});
  await server?.close();
});

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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

/** A producer's 100 kg accepted at the east gate for A-01 and repacked there: a real, signed descendant. */
async function producerWithRepack(): Promise<{ producerId: string; repack: { id: string; code: string } }> {
  const { certificate } = await call('POST', '/certificates', await login(demo.users.producer), {
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
  const made = await call(
    'POST',
    `/stalls/${demo.stalls.a01}/transformations`,
    await login(demo.users.vendor),
    {
      kind: 'repack',
      inputs: [{ itemId: `lot:${lot.id}:${certificate.id}`, quantity: 20 }],
      outputs: [{ quantity: 20 }],
    },
  );
  return { producerId: certificate.id, repack: made.outputs[0] };
}

/** `count` further repacks under `parentId`, written straight to the tables, so the recall needs two batches. */
async function moreDescendants(parentId: string, count: number): Promise<string[]> {
  const {
    id: _id,
    createdAt: _created,
    code: _code,
    ...fields
  } = await prisma.certificate.findUniqueOrThrow({
    where: { id: parentId },
  });
  const ids = Array.from(
    { length: count },
    (_, i) => `${parentId.slice(0, 8)}${(i + 1).toString(16).padStart(8, '0')}`,
  );
  await prisma.certificate.createMany({
    data: ids.map((id) => ({ ...fields, id, code: `TEST-REPACK-${id}`, quantity: 0.01 })),
  });
  await prisma.certificateParent.createMany({
    data: ids.map((childId) => ({ childId, parentId, quantity: 0.01 })),
  });
  return ids;
}

/** A running agent with its status page, and hand entry on that page as a gate worker uses it. */
async function runAgent() {
  const agent = await startAgent(agentConfig, { log: () => {} });
  agents.push(agent);
  const page = `http://127.0.0.1:${agent.statusPort}`;
  const html = await (await fetch(`${page}/`)).text();
  const token = /<meta name="gate-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
  const enter = async (path: string, body: unknown) => {
    const response = await fetch(`${page}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gate-token': token },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { verdict: { outcome: string; reasons: { code: string }[] } | null };
  };
  /** a truck of 20 kg 大白菜 and the code shown for it, judged by the agent alone */
  const judge = async (code: string) => {
    await enter('/manual/lots', { plate: '湘A·20001', declaration: { ...cabbage, quantity: 20 } });
    return (await enter('/manual/codes', { text: code })).verdict;
  };
  return { agent, judge };
}

describe('a recall pushed live to a gate agent', () => {
  it('is applied in batches without a download, and the agent refuses a recalled repack REVOKED offline', async () => {
    const { producerId, repack } = await producerWithRepack();
    const extra = await moreDescendants(repack.id, 1200);
    const recalled = [producerId, repack.id, ...extra];

    const { agent, judge } = await runAgent();
    await until(() => agent.trust.state !== null, 'the agent holds a trust snapshot');
    await until(
      async () => (await app.scanFlow.liveServer.io.in('agents').fetchSockets()).length > 0,
      'the agent is connected live',
    );
    const held = agent.trust.held!.version;
    expect(agent.trust.state!.index.revoked.has(repack.id)).toBe(false);

    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/recalls',
      headers: await login('changsha_regulator'),
      payload: { certificateId: producerId, reason: '农残抽检超标' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().revoked).toHaveLength(recalled.length);

    await until(
      () => recalled.every((id) => agent.trust.state!.index.revoked.has(id)),
      'every recalled certificate is revoked at the agent',
    );
    // pushed, not downloaded: the snapshot's version is the one it held before the recall
    expect(agent.trust.held!.version).toBe(held);

    await app.close();
    const offline = await judge(repack.code);
    expect(offline?.outcome).toBe('reject');
    expect(offline?.reasons.map((r) => r.code)).toContain('REVOKED');

    // restarted with the server still down: the journal kept the pushed revocations
    await agent.stop();
    const restarted = await runAgent();
    expect(restarted.agent.trust.held!.version).toBe(held);
    const again = await restarted.judge(repack.code);
    expect(again?.reasons.map((r) => r.code)).toContain('REVOKED');
  }, 120_000);
});
