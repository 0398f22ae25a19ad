import { expect } from 'vitest';
import type { PrismaClient } from '../src/client.ts';
import { isRetentionRefusal } from '../src/storage-error.ts';

/** One pass through the tables a gate scan touches, asserting each step; shared by both databases' tests. */
export async function crudRoundTrip(prisma: PrismaClient): Promise<void> {
  const region = await prisma.region.create({ data: { code: '330106', name: '西湖区', level: 'county' } });
  const market = await prisma.market.create({
    data: { name: '杭州农副产品物流中心', kind: 'wholesale', regionCode: region.code },
  });
  const gate = await prisma.gate.create({ data: { marketId: market.id, name: '北门' } });
  const lot = await prisma.lot.create({ data: { ...lotFields(market.id, gate.id), id: 'lot-0001' } });
  await prisma.scan.create({ data: { ...scanFields(lot.id, market.id), id: 'scan-0001' } });

  const read = await prisma.lot.findUniqueOrThrow({
    where: { id: lot.id },
    include: { scans: true, market: { include: { region: true } } },
  });
  expect(read.market.region.name).toBe('西湖区');
  expect(read.quantity).toBe(120.5);
  expect(read.status).toBe('open');
  expect(read.scans.map((scan) => scan.id)).toEqual(['scan-0001']);
  expect(read.scans[0]?.deviceTime?.toISOString()).toBe('2026-05-01T08:30:00.123Z');

  const judged = await prisma.lot.update({
    where: { id: lot.id },
    data: { status: 'judged', outcome: 'accept', judgedAt: new Date() },
  });
  expect(judged.status).toBe('judged');
  expect(await prisma.lot.count({ where: { marketId: market.id, status: 'judged' } })).toBe(1);

  // records younger than six months stay, whatever client asks, and cannot be aged to get round that
  expect(
    await outcomeOf(
      prisma.$transaction([
        prisma.scan.deleteMany({ where: { lotId: lot.id } }),
        prisma.lot.delete({ where: { id: lot.id } }),
      ]),
    ),
  ).toBe('retention refused');
  expect(
    await outcomeOf(
      prisma.lot.update({ where: { id: lot.id }, data: { openedAt: new Date('2025-01-01T00:00:00Z') } }),
    ),
  ).toBe('retention refused');
  expect(await prisma.scan.count({ where: { lotId: lot.id } })).toBe(1);

  const sevenMonthsAgo = new Date(Date.now() - 213 * 86_400_000);
  const oldLot = await prisma.lot.create({
    data: { ...lotFields(market.id, gate.id), id: 'lot-old', openedAt: sevenMonthsAgo },
  });
  await prisma.scan.create({
    data: { ...scanFields(oldLot.id, market.id), id: 'scan-old', receivedAt: sevenMonthsAgo },
  });
  await prisma.$transaction([
    prisma.scan.deleteMany({ where: { lotId: oldLot.id } }),
    prisma.lot.delete({ where: { id: oldLot.id } }),
  ]);
  expect(await prisma.lot.findUnique({ where: { id: oldLot.id } })).toBeNull();
  expect(await prisma.scan.count()).toBe(1);
}

async function outcomeOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => 'done',
    (error) => (isRetentionRefusal(error) ? 'retention refused' : error),
  );
}

function lotFields(marketId: number, gateId: number) {
  return { marketId, gateId, productName: '番茄', category: 'vegetable', quantity: 120.5, unit: 'kg' };
}

function scanFields(lotId: string, marketId: number) {
  return {
    lotId,
    marketId,
    source: 'hid',
    rawText: 'LZ1:ABCDEF',
    codeKind: 'liangzheng',
    outcome: 'accept',
    reasons: '[]',
    response: '{"outcome":"accept"}',
    deviceTime: new Date('2026-05-01T08:30:00.123Z'),
  };
}
