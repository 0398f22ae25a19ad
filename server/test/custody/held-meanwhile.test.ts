import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp, testDbKind } from '../helper.ts';
import { cooperativeCertificates, lotItem, truckForStall } from './custody-fixture.ts';

/**
 * A stop-sale that lands while a repack is on its way: another transaction has held the item but not committed
 * when the repack arrives. On PostgreSQL the repack reads the item unheld, decides, and its write waits on the
 * item's row until the hold commits; on SQLite it waits for the write lock before reading. Either way the answer
 * is the hold's own refusal, not a quantity one, and nothing of the repack is written.
 */
describe(`an item held while a repack is on its way (${testDbKind})`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('is refused as ITEM_HELD once the hold commits, writing nothing', async () => {
    const stallId = t.demo!.stalls.a01;
    const [certificate] = await cooperativeCertificates(t, 1, { quantity: 100 });
    const { lotId, outcome } = await truckForStall(t, stallId, [certificate!], { quantity: 100 });
    expect(outcome).toBe('accept');
    const itemId = lotItem(lotId, certificate!.id);
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    // The stall's inventory is read once, as the stall screen does, so the item exists before the race.
    const inventory = await fetch(`${base}/api/v1/stalls/${stallId}/inventory`, { headers: vendor });
    expect(((await inventory.json()) as { id: string }[]).map((item) => item.id)).toContain(itemId);

    let answer: Promise<{ status: number; code: string | undefined }> | undefined;
    await t.prisma.$transaction(
      async (tx) => {
        await tx.inventoryItem.update({ where: { id: itemId }, data: { held: true, heldReason: '召回' } });
        answer = fetch(`${base}/api/v1/stalls/${stallId}/transformations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...vendor },
          body: JSON.stringify({
            kind: 'repack',
            inputs: [{ itemId, quantity: 10 }],
            outputs: [{ quantity: 10 }],
          }),
        }).then(async (res) => ({
          status: res.status,
          code: ((await res.json()) as { error?: { code: string } }).error?.code,
        }));
        // Long enough for the repack to read and reach its write, which must then wait for this commit.
        await new Promise((resolve) => setTimeout(resolve, 400));
      },
      { timeout: 10_000 },
    );
    expect(await answer).toEqual({ status: 409, code: 'ITEM_HELD' });
    const item = await t.prisma.inventoryItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(item).toMatchObject({ held: true, drawn: 0 });
    expect(await t.prisma.transformationDraw.count({ where: { inventoryItemId: itemId } })).toBe(0);
    expect(
      await t.prisma.certificate.count({ where: { parents: { some: { parentId: certificate!.id } } } }),
    ).toBe(0);
  }, 60_000);
});
