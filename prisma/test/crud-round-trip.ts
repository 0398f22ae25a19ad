import { expect } from 'vitest';
import type { PrismaClient } from '../src/client.ts';

/** One pass through the tables a gate scan touches, asserting each step; shared by both databases' tests. */
export async function crudRoundTrip(prisma: PrismaClient): Promise<void> {
  const region = await prisma.region.create({ data: { code: '330106', name: '西湖区', level: 'county' } });
  const market = await prisma.market.create({
    data: { name: '杭州农副产品物流中心', kind: 'wholesale', regionCode: region.code },
  });
  const gate = await prisma.gate.create({ data: { marketId: market.id, name: '北门' } });
  const lot = await prisma.lot.create({
    data: {
      id: 'lot-0001',
      marketId: market.id,
      gateId: gate.id,
      productName: '番茄',
      category: 'vegetable',
      quantity: 120.5,
      unit: 'kg',
    },
  });
  await prisma.scan.create({
    data: {
      id: 'scan-0001',
      lotId: lot.id,
      marketId: market.id,
      source: 'hid',
      rawText: 'LZ1:ABCDEF',
      codeKind: 'liangzheng',
      outcome: 'accept',
      reasons: '[]',
      response: '{"outcome":"accept"}',
      deviceTime: new Date('2026-05-01T08:30:00.123Z'),
    },
  });

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

  await prisma.$transaction([
    prisma.scan.deleteMany({ where: { lotId: lot.id } }),
    prisma.lot.delete({ where: { id: lot.id } }),
  ]);
  expect(await prisma.lot.findUnique({ where: { id: lot.id } })).toBeNull();
  expect(await prisma.scan.count()).toBe(0);
}
