import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';
import { inventoryOf, lotItem, transformAt, truckForStall } from './custody-fixture.ts';

/**
 * A recall writes its rows with raw SQL (docs/custody.md, recall): what it stores must read back through Prisma
 * exactly as what Prisma itself stores, dates above all, on SQLite and on PostgreSQL.
 */
describe('revocation rows written raw', () => {
  let t: TestApp;
  let vendor: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
  }, 120_000);
  afterAll(async () => t?.close());

  it('stores void times, trust changes and holds as Prisma does, at 00:30 Beijing time', async () => {
    const producer = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 100 });
    const { lotId } = await truckForStall(t, t.demo!.stalls.a01, [producer], { quantity: 100 });
    await inventoryOf(t, t.demo!.stalls.a01, vendor);
    const repack = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId: lotItem(lotId, producer.id), quantity: 40 }],
      outputs: [{ quantity: 20, keep: true }, { quantity: 18 }],
    });
    const outputs = (repack.json().outputs as { id: string }[]).map((o) => o.id);
    // 00:30 in Shanghai is 16:30 UTC the day before: a date written as local time would show here
    const at = new Date(t.clock.now().getTime() + 86_400_000);
    at.setUTCHours(16, 30, 0, 123);
    if (!('set' in t.clock)) throw new Error('the test app runs on a fixed clock');
    t.clock.set(at);
    const recaller = await t.login('changsha_regulator', t.demo!.password);
    const before = await t.prisma.trustChange.aggregate({ _max: { version: true } });

    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/recalls',
        payload: { certificateId: producer.id, reason: '农残抽检超标' },
      },
      recaller,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().at).toBe(at.toISOString());

    const certificates = await t.prisma.certificate.findMany({
      where: { id: { in: [producer.id, ...outputs] } },
      select: { id: true, status: true, voidedAt: true, voidKind: true, voidReason: true, recallId: true },
    });
    expect(certificates).toHaveLength(3);
    for (const row of certificates)
      expect(row).toMatchObject({
        status: 'void',
        voidedAt: at,
        voidKind: 'recall',
        voidReason: '农残抽检超标',
        recallId: res.json().id,
      });
    const changes = await t.prisma.trustChange.findMany({
      where: { version: { gt: before._max.version ?? 0 } },
      orderBy: { version: 'asc' },
    });
    expect(changes.map((c) => [c.kind, c.at])).toEqual(changes.map(() => ['revocation', at]));
    // the producer first, then what was made from it
    expect(changes.map((c) => c.ref)).toEqual([producer.id, ...[...outputs].sort()]);
    expect(
      await t.prisma.trustChange.count({ where: { kind: 'revocation', at: { gte: at, lte: at } } }),
    ).toBe(3);

    // the very text or timestamp Prisma would have stored for the same instant
    const written = await t.prisma.trustChange.create({ data: { kind: 'check', ref: 'prisma', at } });
    const stored = await t.prisma.$queryRawUnsafe<{ version: number | bigint; at: string }[]>(
      `SELECT "version", CAST("at" AS TEXT) AS "at" FROM "TrustChange" WHERE "version" IN (${
        changes[0]!.version
      }, ${written.version})`,
    );
    expect(stored).toHaveLength(2);
    expect(stored[0]!.at).toBe(stored[1]!.at);

    const items = await t.prisma.inventoryItem.findMany({
      where: { certificateId: { in: [producer.id, ...outputs] } },
      select: { id: true, held: true, heldReason: true },
    });
    expect(items.map((i) => i.id).sort()).toEqual([lotItem(lotId, producer.id), `out:${outputs[0]}`].sort());
    expect(items.every((i) => i.held && i.heldReason === '召回：农残抽检超标')).toBe(true);
    expect([...res.json().heldItems].sort()).toEqual(items.map((i) => i.id).sort());
  }, 60_000);
});
