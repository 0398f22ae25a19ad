import { maxRevocationsPerEvent, TrustRevocationEvent } from '@liangzheng/domain';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp } from '../helper.ts';
import { connect } from '../live/socket-client.ts';
import { issueTestCertificate, type TestCertificate } from '../scan/scan-fixture.ts';

/**
 * A recall or a void reaches connected agents as `trust:revocation` events of at most 1,000 certificate ids each,
 * over a real socket.io connection: a producer with 1,500 descendants is two events, not 1,501.
 */
describe('revocations pushed in batches', () => {
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

  /** An agent's socket, recording every revocation event it is sent, parsed with the shared schema. */
  async function agentSocket() {
    const socket = await connect(base, { token: t.demo!.deviceToken });
    sockets.push(socket);
    const events: TrustRevocationEvent[] = [];
    socket.on('trust:revocation', (payload: unknown) => events.push(TrustRevocationEvent.parse(payload)));
    return events;
  }

  /**
   * `count` repacks made from `root`, two levels deep (the first tenth from the root, the rest from those), written
   * straight to the tables: what a year of repacks at a busy market leaves, without 1,500 signed transformations.
   */
  async function descendantsOf(root: TestCertificate, count: number): Promise<string[]> {
    const row = await t.prisma.certificate.findUniqueOrThrow({ where: { id: root.id } });
    const ids = Array.from(
      { length: count },
      (_, i) => `${root.id.slice(0, 8)}${(i + 1).toString(16).padStart(8, '0')}`,
    );
    const { id: _id, createdAt: _c, code: _code, ...fields } = row;
    const firstLevel = Math.ceil(count / 10);
    await t.prisma.certificate.createMany({
      data: ids.map((id) => ({ ...fields, id, kind: 'repack', code: `TEST-REPACK-${id}`, quantity: 1 })),
    });
    await t.prisma.certificateParent.createMany({
      data: ids.map((childId, i) => ({
        childId,
        parentId: i < firstLevel ? root.id : (ids[i % firstLevel] as string),
        quantity: 1,
      })),
    });
    return ids;
  }

  async function recall(certificateId: string) {
    const regulator = await t.login('changsha_regulator', t.demo!.password);
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/recalls', payload: { certificateId, reason: '农残抽检超标' } },
      regulator,
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { revoked: string[] };
  }

  it('pushes a recall of a certificate with 1,500 descendants as ceil(1,501 / 1,000) events holding every id', async () => {
    const root = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    const descendants = await descendantsOf(root, 1500);
    const events = await agentSocket();

    const done = await recall(root.id);
    const all = [root.id, ...descendants];
    expect([...done.revoked].sort()).toEqual([...all].sort());
    const expected = Math.ceil(all.length / maxRevocationsPerEvent);
    await expect.poll(() => events.length).toBe(expected);
    expect(events.map((e) => e.certificateIds.length)).toEqual([1000, 501]);
    const pushed = events.flatMap((e) => e.certificateIds);
    expect(new Set(pushed).size).toBe(pushed.length);
    expect([...pushed].sort()).toEqual([...all].sort());
    for (const event of events) expect(event.reason).toBe('农残抽检超标');
    // the batch's trust version covers every revocation in it: an agent at that version has them all
    const versions = await t.prisma.trustChange.findMany({
      where: { kind: 'revocation', ref: { in: all } },
      select: { version: true },
    });
    expect(Math.max(...events.map((e) => e.trustVersion))).toBe(
      Math.max(...versions.map((v) => Number(v.version))),
    );
    // nothing more comes: no event per certificate besides the batches
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toHaveLength(expected);
  }, 120_000);

  it('pushes a single void as one event of one id', async () => {
    const certificate = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    const events = await agentSocket();
    const producer = await t.login(t.demo!.users.producer, t.demo!.password);
    const res = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${certificate.id}/void`, payload: { reason: '标签印错' } },
      producer,
    );
    expect(res.statusCode, res.body).toBe(200);
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ certificateIds: [certificate.id], reason: '标签印错' });
  }, 60_000);
});
