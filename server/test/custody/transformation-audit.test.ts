import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { buildTestApp, listenOnLoopback, type TestApp, testDbKind } from '../helper.ts';
import { cooperativeCertificates, lotItem, truckForStall } from './custody-fixture.ts';

/**
 * The transformation store writes its audit row itself (raw SQL on both databases, the hash computed in SQL on
 * PostgreSQL): concurrent repacks, interleaved with other audited writes, still leave one unbroken chain.
 */
describe(`transformation audit rows (${testDbKind})`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('chain onto the log like every other audited write, one row per transformation', async () => {
    const stallId = t.demo!.stalls.a01;
    const certificates = await cooperativeCertificates(t, 2, { quantity: 50 });
    const { lotId, outcome } = await truckForStall(t, stallId, certificates, { quantity: 100 });
    expect(outcome).toBe('accept');
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    const repack = (i: number) =>
      fetch(`${base}/api/v1/stalls/${stallId}/transformations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...vendor },
        body: JSON.stringify({
          kind: 'repack',
          inputs: [{ itemId: lotItem(lotId, certificates[i % 2]!.id), quantity: 2 }],
          outputs: [{ quantity: 1 }, { quantity: 0.9, keep: true }],
        }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string } }));
    // Producer certificates issued meanwhile append their own audit rows through Prisma.
    const [answers] = await Promise.all([
      Promise.all(Array.from({ length: 12 }, (_, i) => repack(i))),
      cooperativeCertificates(t, 3, { quantity: 10 }),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 12 }, () => 201));
    for (const { body } of answers) {
      expect(await t.prisma.auditLog.count({ where: { entity: 'transformation', entityId: body.id } })).toBe(
        1,
      );
    }
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true });
  }, 120_000);
});
