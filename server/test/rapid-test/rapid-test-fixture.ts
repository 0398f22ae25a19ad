import { randomBytes, randomUUID } from 'node:crypto';
import type { FixedClock } from '../../src/clock/clock.ts';
import type { TestApp } from '../helper.ts';

/** The smallest PNG our header check reads: the signature and an IHDR declaring 64×48. */
export function tinyPngBase64(): string {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(64, 16);
  bytes.writeUInt32BE(48, 20);
  return bytes.toString('base64');
}

export const clockOf = (t: TestApp) => t.clock as FixedClock;

/**
 * An accepted arrival at the wholesale market's east gate, delivered to stall A01, that came in on a fresh copy of a demo
 * certificate (of `issuerId`'s, or the coop's), with the stall's inventory item of it and one in the market's
 * unassigned stock.
 */
export async function arrivedLot(t: TestApp, options: { issuerId?: number; productName?: string } = {}) {
  const demo = t.demo!;
  const template = await t.prisma.certificate.findFirstOrThrow({
    where: { issuerId: options.issuerId ?? demo.issuers.coop },
  });
  const certificateId = randomBytes(8).toString('hex');
  await t.prisma.certificate.create({
    data: {
      ...template,
      id: certificateId,
      code: `${template.code}#${certificateId}`,
      status: 'valid',
      usedQuantity: 0,
      createdAt: t.clock.now(),
    },
  });
  const lotId = randomUUID();
  const now = t.clock.now();
  await t.prisma.lot.create({
    data: {
      id: lotId,
      marketId: demo.markets.wholesale,
      gateId: demo.gates.wholesaleEast,
      stallId: demo.stalls.a01,
      productName: options.productName ?? template.productName,
      category: template.category,
      quantity: 100,
      unit: template.unit,
      status: 'judged',
      outcome: 'accept',
      openedAt: now,
      judgedAt: now,
      documents: { create: { id: randomUUID(), type: 'code', certificateId } },
    },
  });
  const stallItem = `lot:${lotId}:${certificateId}`;
  const marketItem = `lot:${lotId}:${certificateId}:unassigned`;
  for (const [id, stallId] of [
    [stallItem, demo.stalls.a01],
    [marketItem, null],
  ] as const) {
    await t.prisma.inventoryItem.create({
      data: {
        id,
        marketId: demo.markets.wholesale,
        stallId,
        certificateId,
        lotId,
        received: 50,
        unit: template.unit,
        receivedAt: now,
      },
    });
  }
  return { lotId, certificateId, stallItem, marketItem };
}

/**
 * An accepted arrival at stall A01 whose inventory is not made yet: the document charged 50 to a fresh copy of the
 * coop's certificate, as the gate leaves it; custody makes the stall's item on its next read.
 */
export async function unstockedLot(t: TestApp): Promise<{ lotId: string; itemId: string }> {
  const { lotId, stallItem, marketItem } = await arrivedLot(t);
  await t.prisma.inventoryItem.deleteMany({ where: { id: { in: [stallItem, marketItem] } } });
  await t.prisma.lotDocument.updateMany({ where: { lotId }, data: { quantityClaim: 50 } });
  return { lotId, itemId: stallItem };
}
