import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustodyStory, seedCustodyStory } from '../../src/demo/demo-custody.ts';
import { buildTestApp, type TestApp } from '../helper.ts';

describe('the demo’s custody story', () => {
  let t: TestApp;
  let story: CustodyStory;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    story = await seedCustodyStory(t.app, t.demo!);
  }, 120_000);
  afterAll(async () => t?.close());

  it('brings a truck with three certificates in as one lot, pending until the third, with no violation', async () => {
    expect(story.truckOutcomes).toEqual(['pending', 'pending', 'accept']);
    expect(await t.prisma.violation.count({ where: { lotId: story.truckLotId } })).toBe(0);
    const lot = await t.prisma.lot.findUniqueOrThrow({ where: { id: story.truckLotId } });
    expect(lot).toMatchObject({ outcome: 'accept', stallId: t.demo!.stalls.a01 });
  });

  it('repacks into two and resells to a buyer from the stall’s inventory', async () => {
    expect(story.repackIds).toHaveLength(2);
    const transformations = await t.prisma.transformation.findMany({
      where: { stallId: t.demo!.stalls.a01 },
    });
    expect(transformations.map((x) => x.kind)).toEqual(expect.arrayContaining(['repack', 'resale']));
    const resale = await t.prisma.certificate.findUniqueOrThrow({
      where: { id: story.resaleId },
      include: { parents: true },
    });
    expect(resale.parents.map((p) => p.quantity)).toEqual([50]);
  });

  it('recalls another delivery: its certificate and its repack revoked, the goods held, the page says 已召回', async () => {
    expect(story.recalledIds).toHaveLength(2);
    const revoked = await t.prisma.certificate.findMany({ where: { id: { in: story.recalledIds } } });
    expect(revoked.map((c) => c.status)).toEqual(['void', 'void']);
    const held = await t.prisma.inventoryItem.count({
      where: { certificateId: { in: story.recalledIds }, held: true },
    });
    expect(held).toBeGreaterThanOrEqual(1);
    const page = await t.inject({
      method: 'GET',
      url: `/V/${revoked[0]!.code.replace(/^https?:\/\/[^/]+\/V\//i, '')}`,
    });
    expect(page.body).toContain('已召回');
    // The truck's own goods are untouched by the other delivery's recall.
    const truckCodes = await t.prisma.lotDocument.findMany({ where: { lotId: story.truckLotId } });
    const stillValid = await t.prisma.certificate.count({
      where: { id: { in: truckCodes.map((d) => d.certificateId!) }, status: 'valid' },
    });
    expect(stillValid).toBe(3);
  });
});
