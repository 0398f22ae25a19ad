import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

/**
 * 演示：播放模拟道口 (docs/demo.md): the gate screen replays the simulated gate on a server with the demo data, one
 * replay at a time, and is refused with a code on a server without it. The replay is the real gate agent.
 */
describe('the simulated gate replayed from the gate screen', () => {
  let t: TestApp;
  let staff: Record<string, string>;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    await listenOnLoopback(t);
    staff = await t.login('mawangdui_gate', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  const replay = (method: 'GET' | 'POST', headers: Record<string, string>) =>
    t.inject({ method, url: '/api/v1/demo/gate-replay' }, headers);

  it('plays once at a time as the demo gate device, and its scans arrive at the demo gate', async () => {
    const before = await replay('GET', staff);
    expect(before.json()).toEqual({ available: true, running: false, gateId: t.demo!.gates.wholesaleEast });

    const other = await t.login('tianyuan_gate', t.demo!.password);
    expect((await replay('POST', other)).statusCode).toBe(403);

    const started = await replay('POST', staff);
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json().gateId).toBe(t.demo!.gates.wholesaleEast);
    expect((await replay('GET', staff)).json().running).toBe(true);
    const again = await replay('POST', staff);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'DEMO_REPLAY_RUNNING']);

    const scans = () => t.prisma.scan.count({ where: { deviceId: 'demo-gate-mawangdui-east' } });
    const seeded = await scans();
    await expect.poll(scans, { timeout: 90_000, interval: 1_000 }).toBeGreaterThan(seeded);
  }, 120_000);
});

describe('on a server without demo data', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    await listenOnLoopback(t);
  }, 60_000);
  afterAll(async () => t?.close());

  it('offers no replay, and refuses one with DEMO_MODE_OFF', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const status = await t.inject({ method: 'GET', url: '/api/v1/demo/gate-replay' }, admin);
    expect(status.json()).toEqual({ available: false, running: false, gateId: null });
    const refused = await t.inject({ method: 'POST', url: '/api/v1/demo/gate-replay' }, admin);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'DEMO_MODE_OFF']);
  });
});
