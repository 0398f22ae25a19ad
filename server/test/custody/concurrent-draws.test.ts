import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp, testDbKind } from '../helper.ts';
import { cooperativeCertificates, lotItem, truckForStall } from './custody-fixture.ts';

/**
 * Twenty resales of 10 kg on one 100 kg inventory item, sent at once over real HTTP from two browser sessions
 * of the stall's vendor (two tabs): exactly ten may succeed, and the item may never be overdrawn.
 */
describe(`concurrent draws on one inventory item (${testDbKind})`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('never exceed the item: 20 parallel draws of 10 kg on 100 kg, exactly 10 succeed', async () => {
    const stallId = t.demo!.stalls.a01;
    const [certificate] = await cooperativeCertificates(t, 1, { quantity: 100 });
    const { lotId, outcome } = await truckForStall(t, stallId, [certificate!], { quantity: 100 });
    expect(outcome).toBe('accept');
    const itemId = lotItem(lotId, certificate!.id);
    const tabs = [
      await t.login(t.demo!.users.vendor, t.demo!.password),
      await t.login(t.demo!.users.vendor, t.demo!.password),
    ];
    const draw = (i: number) =>
      fetch(`${base}/api/v1/stalls/${stallId}/transformations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...tabs[i % 2] },
        body: JSON.stringify({
          kind: 'resale',
          inputs: [{ itemId, quantity: 10 }],
          outputs: [{ quantity: 10 }],
        }),
      }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { error?: { code: string } },
      }));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => draw(i)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status !== 201).map((a) => [a.status, a.body.error?.code])).toEqual(
      Array.from({ length: 10 }, () => [409, 'QUANTITY_EXCEEDED']),
    );
    const item = await t.prisma.inventoryItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(item.drawn).toBe(100);
    expect(await t.prisma.transformation.count({ where: { stallId, kind: 'resale' } })).toBe(10);
    // The refused ten had signed their certificate before their draw failed: rolled back with it, all or nothing.
    expect(
      await t.prisma.certificate.count({
        where: {
          transformationId: { not: null },
          kind: 'repack',
          parents: { some: { parentId: certificate!.id } },
        },
      }),
    ).toBe(10);
    const draws = await t.prisma.transformationDraw.aggregate({
      where: { inventoryItemId: itemId },
      _sum: { quantity: true },
    });
    expect(draws._sum.quantity).toBe(100);
  }, 60_000);
});
