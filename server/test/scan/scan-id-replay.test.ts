import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';
import { addGateDevice, bearer, issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

/**
 * A scanId names one scan. A re-send from where it was first scanned (the same device, or the same market) gets
 * the first answer again; from anywhere else it is a conflict, never another market's stored answer
 * (security finding 9).
 */
describe('a scanId replayed from another market', () => {
  let t: TestApp;
  let mawangdui: string;
  let tianyuan: string;
  let east: number;
  let dock: number;
  let firstBody: ReturnType<typeof scanBody>;
  let firstAnswer: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    mawangdui = t.demo!.deviceToken;
    east = t.demo!.gates.wholesaleEast;
    dock = t.demo!.gates.supermarketDock;
    tianyuan = await addGateDevice(t, dock, 'tianyuan-dock');
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 500 });
    firstBody = scanBody(await openLot(t, mawangdui, { quantity: 50 }), east, cert.text);
    const first = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: firstBody },
      bearer(mawangdui),
    );
    expect(first.statusCode, first.body).toBe(200);
    firstAnswer = first.body;
  }, 60_000);
  afterAll(async () => t?.close());

  /** market C's device re-sends market A's scanId with a lot of its own */
  async function resentFromTianyuan() {
    const lotId = await openLot(t, tianyuan);
    return scanBody(lotId, dock, 'HGZ-TIANYUAN', { scanId: firstBody.scanId });
  }

  it('is 409 SCAN_ID_CONFLICT on the single path, without the first answer', async () => {
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: await resentFromTianyuan() },
      bearer(tianyuan),
    );
    expect([res.statusCode, res.json().error?.code]).toEqual([409, 'SCAN_ID_CONFLICT']);
    expect(res.body).not.toContain('"verdict"');
    expect(await t.prisma.scan.count({ where: { id: firstBody.scanId } })).toBe(1);
  });

  it('is refused as SCAN_ID_CONFLICT inside a batch, without the first answer', async () => {
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans/batch', payload: { scans: [await resentFromTianyuan()] } },
      bearer(tianyuan),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results).toEqual([
      { ok: false, error: { code: 'SCAN_ID_CONFLICT', message: expect.any(String) } },
    ]);
  });

  it('is refused to another market’s gate staff too', async () => {
    const staff = await t.login('tianyuan_gate', t.demo!.password);
    const body = await resentFromTianyuan();
    const typed = { ...body, provenance: { ...body.provenance, source: 'manual', decoder: 'console' } };
    const res = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: typed }, staff);
    expect([res.statusCode, res.json().error?.code]).toEqual([409, 'SCAN_ID_CONFLICT']);
  });

  it('still replays the first answer to the same device, and to the same market’s gate staff', async () => {
    const again = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: firstBody },
      bearer(mawangdui),
    );
    expect([again.statusCode, again.headers['x-lz-replayed'], again.body]).toEqual([200, '1', firstAnswer]);

    const staff = await t.login('mawangdui_gate', t.demo!.password);
    const typed = {
      ...firstBody,
      provenance: { ...firstBody.provenance, source: 'manual', decoder: 'console' },
    };
    const byStaff = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: typed }, staff);
    expect([byStaff.statusCode, byStaff.headers['x-lz-replayed'], byStaff.body]).toEqual([
      200,
      '1',
      firstAnswer,
    ]);
  });

  it('the same new scanId sent by both markets at once is stored once and refused to the other', async () => {
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 500 });
    const fromMawangdui = scanBody(await openLot(t, mawangdui), east, cert.text);
    const fromTianyuan = { ...(await resentFromTianyuan()), scanId: fromMawangdui.scanId };
    const answers = await Promise.all([
      t.inject({ method: 'POST', url: '/api/v1/scans', payload: fromMawangdui }, bearer(mawangdui)),
      t.inject({ method: 'POST', url: '/api/v1/scans', payload: fromTianyuan }, bearer(tianyuan)),
    ]);
    const codes = answers.map((res) => (res.statusCode === 200 ? 200 : res.json().error.code)).sort();
    expect(codes).toEqual([200, 'SCAN_ID_CONFLICT']);
    expect(await t.prisma.scan.count({ where: { id: fromMawangdui.scanId } })).toBe(1);
  });

  it('a fresh scanId from the other market is judged as usual', async () => {
    const body = { ...(await resentFromTianyuan()), scanId: randomUUID() };
    const res = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: body }, bearer(tianyuan));
    expect(res.statusCode, res.body).toBe(200);
  });
});
