import { ScanReversedEvent } from '@liangzheng/domain';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp, testDbKind } from '../helper.ts';
import { connect, nextEvent } from '../live/socket-client.ts';
import { addGateDevice, bearer, issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

/**
 * An undone scan reaches the other gate screens at once, over a real socket.io connection: every screen watching
 * the lot's gate (and the gate whose device read the code) gets `scan:reversed`, the market's feed `lot:arrival`.
 */
describe(`undoing a scan, live (${testDbKind})`, () => {
  let t: TestApp;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 120_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t?.close();
  });

  /** A gate screen: a console session of the market's gate staff, watching one gate. */
  async function gateScreen(gateId: number, username = 'mawangdui_gate') {
    const { cookie } = await t.login(username, t.demo!.password);
    const socket = await connect(base, { cookie });
    sockets.push(socket);
    expect(await socket.emitWithAck('watch', { room: { kind: 'gate', gateId } })).toMatchObject({ ok: true });
    return socket;
  }

  async function scan(token: string, lotId: string, gateId: number, text: string) {
    const body = scanBody(lotId, gateId, text);
    const res = await fetch(`${base}/api/v1/scans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return body.scanId;
  }

  it('tells every screen of the lot’s gate and of the scanning device’s gate, and the market’s feed', async () => {
    const demo = t.demo!;
    const east = demo.gates.wholesaleEast;
    const north = (await t.prisma.gate.create({ data: { marketId: demo.markets.wholesale, name: '北门' } }))
      .id;
    const northToken = await addGateDevice(t, north, 'north-gate');
    const [a, b] = [
      await issueTestCertificate(t, { issuerId: demo.issuers.coop, quantity: 100 }),
      await issueTestCertificate(t, { issuerId: demo.issuers.coop, quantity: 100 }),
    ];
    // registered at the east gate; its second code read by the north gate's scanner
    const lotId = await openLot(t, demo.deviceToken, { quantity: 300 });
    await scan(demo.deviceToken, lotId, east, a.text);
    const undone = await scan(northToken, lotId, north, b.text);

    const eastScreen = await gateScreen(east);
    const northScreen = await gateScreen(north);
    const otherScreen = await gateScreen(demo.gates.supermarketDock, 'tianyuan_gate');
    const { cookie } = await t.login(demo.users.market_admin, demo.password);
    const market = await connect(base, { cookie });
    sockets.push(market);
    const atEast = nextEvent<unknown>(eastScreen, 'scan:reversed');
    const atNorth = nextEvent<unknown>(northScreen, 'scan:reversed');
    const inMarket = nextEvent<{ lotId: string; outcome: string | null }>(
      market,
      'lot:arrival',
      (e) => e.lotId === lotId,
    );
    const strays: unknown[] = [];
    otherScreen.on('scan:reversed', (event: unknown) => strays.push(event));

    // undone from one screen: the others learn it from the server, not from their next refresh
    const res = await fetch(`${base}/api/v1/scans/${undone}/reversal`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await t.login('mawangdui_gate', demo.password)),
      },
      body: JSON.stringify({ reason: 'wrong_lot' }),
    });
    expect(res.status).toBe(201);
    const answer = await res.json();

    for (const pushed of [await atEast, await atNorth]) {
      const event = ScanReversedEvent.parse(pushed);
      expect(event).toEqual(answer);
      expect(event).toMatchObject({ scanId: undone, lotId, reason: 'wrong_lot', lotStatus: 'open' });
      expect(event.verdict?.coverage).toEqual({ covered: 100, declared: 300, unit: 'kg' });
    }
    expect(await inMarket).toMatchObject({ lotId, outcome: 'pending' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(strays).toEqual([]);
  }, 60_000);

  it('sends nothing when the undo is refused', async () => {
    const demo = t.demo!;
    const certificate = await issueTestCertificate(t, { issuerId: demo.issuers.coop, quantity: 100 });
    const lotId = await openLot(t, demo.deviceToken, { quantity: 300 });
    const scanId = await scan(demo.deviceToken, lotId, demo.gates.wholesaleEast, certificate.text);
    const screen = await gateScreen(demo.gates.wholesaleEast);
    const pushed: unknown[] = [];
    screen.on('scan:reversed', (event: unknown) => pushed.push(event));
    const headers = {
      'content-type': 'application/json',
      ...(await t.login('mawangdui_gate', demo.password)),
    };
    const first = await fetch(`${base}/api/v1/scans/${scanId}/reversal`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ reason: 'scanned_twice' }),
    });
    expect(first.status).toBe(201);
    await expect.poll(() => pushed.length).toBe(1);
    const again = await fetch(`${base}/api/v1/scans/${scanId}/reversal`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ reason: 'scanned_twice' }),
    });
    expect(again.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pushed).toHaveLength(1);
  }, 60_000);
});
