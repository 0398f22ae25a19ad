import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp } from '../helper.ts';
import { connect, nextEvent } from '../live/socket-client.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';
import { inventoryOf, lotItem, transformAt, truckForStall } from './custody-fixture.ts';

/** A recall reaches, live: every connected agent (its revocations, batched), the holding market's room and the region's. */
describe('recall, live', () => {
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

  async function open(options: { token?: string; cookie?: string }) {
    const socket = await connect(base, options);
    sockets.push(socket);
    return socket;
  }

  it('pushes the revocations to a connected agent and tells the stall’s market and the regulators', async () => {
    const demo = t.demo!;
    const vendor = await t.login(demo.users.vendor, demo.password);
    const producer = await issueTestCertificate(t, { issuerId: demo.issuers.coop, quantity: 100 });
    const { lotId } = await truckForStall(t, demo.stalls.a01, [producer], { quantity: 100 });
    await inventoryOf(t, demo.stalls.a01, vendor);
    const made = await transformAt(t, demo.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId: lotItem(lotId, producer.id), quantity: 40 }],
      outputs: [{ quantity: 20 }, { quantity: 18 }],
    });
    const descendants = (made.json().outputs as { id: string }[]).map((o) => o.id);

    const agent = await open({ token: demo.deviceToken });
    const revoked: string[] = [];
    agent.on('trust:revocation', (event: { certificateIds: string[] }) =>
      revoked.push(...event.certificateIds),
    );
    const market = await open({ cookie: vendor.cookie });
    expect(
      await market.emitWithAck('watch', { room: { kind: 'market', marketId: demo.markets.wholesale } }),
    ).toMatchObject({
      ok: true,
    });
    const regulator = await open({ cookie: (await t.login('changsha_regulator', demo.password)).cookie });
    expect(await regulator.emitWithAck('watch', { room: { kind: 'region', prefix: '4301' } })).toMatchObject({
      ok: true,
    });
    const toMarket = nextEvent<{ heldItems: string[] }>(market, 'recall:issued');
    const toRegion = nextEvent<{ revoked: string[]; reason: string }>(regulator, 'recall:issued');

    const res = await fetch(`${base}/api/v1/recalls`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await t.login('changsha_regulator', demo.password)),
      },
      body: JSON.stringify({ certificateId: producer.id, reason: '农残抽检超标' }),
    });
    expect(res.status).toBe(201);
    expect((await toMarket).heldItems).toContain(lotItem(lotId, producer.id));
    expect(await toRegion).toMatchObject({ reason: '农残抽检超标' });
    await expect.poll(() => [...revoked].sort()).toEqual([producer.id, ...descendants].sort());
  }, 60_000);
});
