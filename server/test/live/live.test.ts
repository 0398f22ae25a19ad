import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { addGateDevice, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';
import { connect, nextEvent } from './socket-client.ts';

describe('live rooms', () => {
  let t: TestApp;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t?.close();
  });

  const open = async (options: { token?: string; cookie?: string }) => {
    const socket = await connect(base, options);
    sockets.push(socket);
    return socket;
  };

  it('refuses a socket without credentials', async () => {
    await expect(connect(base, {})).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect(base, { token: 'not-a-token' })).rejects.toThrow('UNAUTHENTICATED');
  });

  it('takes a scan over the socket with an ack, tells the gate room, and feeds the market', async () => {
    const demo = t.demo!;
    const gate = await open({ token: demo.deviceToken });
    const staff = await t.login(demo.users.gate_staff, demo.password);
    const market = await open({ cookie: staff.cookie! });
    const cert = await issueTestCertificate(t, { issuerId: demo.issuers.coop });
    const lotId = await openLot(t, demo.deviceToken);
    const verdict = nextEvent<{ scanId: string }>(gate, 'scan:verdict');
    const arrival = nextEvent<{ lotId: string; outcome: string | null }>(
      market,
      'lot:arrival',
      (a) => a.lotId === lotId && a.outcome !== null,
    );
    const body = scanBody(lotId, demo.gates.wholesaleEast, cert.text);
    const ack = await gate.emitWithAck('scan:submit', body);
    expect(ack).toMatchObject({ ok: true, answer: { scanId: body.scanId, verdict: { outcome: 'accept' } } });
    expect((await verdict).scanId).toBe(body.scanId);
    expect(await arrival).toMatchObject({ lotId, outcome: 'accept' });
    const again = await gate.emitWithAck('scan:submit', body);
    expect(again).toEqual(ack);
    const bad = await gate.emitWithAck('scan:submit', { scanId: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('alerts the region’s regulators of a violation, and not another region’s', async () => {
    const demo = t.demo!;
    const changsha = await open({ cookie: (await t.login(demo.users.regulator, demo.password)).cookie! });
    const zhuzhou = await open({ cookie: (await t.login(demo.users.otherRegulator, demo.password)).cookie! });
    let leaked = false;
    zhuzhou.on('violation:created', () => {
      leaked = true;
    });
    const alert = nextEvent<{ reason: string; regionCode: string }>(changsha, 'violation:created');
    await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          declaration: { productName: '草鱼', category: 'aquatic', quantity: 50, unit: 'kg' },
          noCertificate: true,
        },
      },
      { authorization: `Bearer ${demo.deviceToken}` },
    );
    expect(await alert).toMatchObject({ reason: 'MISSING', regionCode: '430102' });
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toBe(false);
  });

  it('lets a user watch only rooms in scope', async () => {
    const demo = t.demo!;
    const other = await open({ cookie: (await t.login(demo.users.otherMarketAdmin, demo.password)).cookie! });
    const denied = await other.emitWithAck('watch', {
      room: { kind: 'gate', gateId: demo.gates.wholesaleEast },
    });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const allowed = await other.emitWithAck('watch', {
      room: { kind: 'gate', gateId: demo.gates.supermarketDock },
    });
    expect(allowed).toMatchObject({ ok: true });
  });

  it('pushes a void to connected agents', async () => {
    const demo = t.demo!;
    const agent = await open({ token: demo.deviceToken });
    const pushed = nextEvent<{ certificateIds: string[] }>(agent, 'trust:revocation');
    t.app.events.emit('certificate.voided', {
      revoked: [{ certificateId: 'aaaaaaaaaaaaaaaa', reason: 'x', trustVersion: 9 }],
      at: '',
    });
    expect((await pushed).certificateIds).toEqual(['aaaaaaaaaaaaaaaa']);
  });

  it('on a single node, emits nothing for rooms without members and still reaches rooms with one', async () => {
    const demo = t.demo!;
    const adapter = t.app.scanFlow.liveServer.io.sockets.adapter;
    const broadcast = adapter.broadcast.bind(adapter);
    const emitted: string[][] = [];
    adapter.broadcast = (packet, options) => {
      emitted.push([...options.rooms]);
      broadcast(packet, options);
    };
    try {
      t.app.scanFlow.live.toGate(999_999, 'scan:verdict', { scanId: 'nobody' });
      t.app.scanFlow.live.toRegion('990000', 'violation:created', { reason: 'nobody' });
      expect(emitted).toEqual([]);
      const gate = await open({ token: demo.deviceToken });
      const verdict = nextEvent<{ scanId: string }>(gate, 'scan:verdict', (v) => v.scanId === 'someone');
      t.app.scanFlow.live.toGate(demo.gates.wholesaleEast, 'scan:verdict', { scanId: 'someone' });
      expect((await verdict).scanId).toBe('someone');
      expect(emitted).toEqual([[`gate:${demo.gates.wholesaleEast}`]]);
    } finally {
      adapter.broadcast = broadcast;
    }
  });

  it('cuts a revoked device off its socket and refuses its scans', async () => {
    const demo = t.demo!;
    const north = await t.prisma.gate.findFirstOrThrow({
      where: { marketId: demo.markets.wholesale, id: { not: demo.gates.wholesaleEast } },
    });
    const token = await addGateDevice(t, north.id, 'revoked');
    const device = await open({ token });
    const gone = new Promise<string>((resolve) => device.once('disconnect', resolve));
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const res = await t.inject({ method: 'POST', url: '/api/v1/devices/test-revoked/revoke' }, admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(await gone).toBe('io server disconnect');
    await expect(connect(base, { token })).rejects.toThrow('UNAUTHENTICATED');
  });
});
