import { expect } from 'vitest';
import type { PrismaClient } from '../src/client.ts';
import { isRetentionRefusal } from '../src/storage-error.ts';

const day = 86_400_000;
const sevenMonthsAgo = () => new Date(Date.now() - 213 * day);

async function outcomeOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => 'done',
    (error) => (isRetentionRefusal(error) ? 'retention refused' : error),
  );
}

/** A market with a lot, a violation, a certificate with a repack child, and a vendor: the evidence to keep. */
async function evidence(prisma: PrismaClient, suffix: string, at: Date) {
  const region = await prisma.region.upsert({
    where: { code: '430102' },
    create: { code: '430102', name: '芙蓉区', level: 'county' },
    update: {},
  });
  const market = await prisma.market.create({
    data: { name: `马王堆${suffix}`, kind: 'wholesale', regionCode: region.code },
  });
  const lot = await prisma.lot.create({
    data: {
      id: `lot-${suffix}`,
      marketId: market.id,
      productName: '辣椒',
      category: 'vegetable',
      quantity: 50,
      unit: 'kg',
      openedAt: at,
    },
  });
  const document = await prisma.lotDocument.create({
    data: { id: `doc-${suffix}`, lotId: lot.id, type: 'paper', createdAt: at },
  });
  const violation = await prisma.violation.create({
    data: {
      id: `vio-${suffix}`,
      lotId: lot.id,
      marketId: market.id,
      regionCode: region.code,
      reason: 'MISSING',
      createdAt: at,
    },
  });
  const event = await prisma.violationEvent.create({
    data: { violationId: violation.id, type: 'created', at },
  });
  const rapidTest = await prisma.rapidTest.create({
    data: {
      id: `rt-${suffix}`,
      lotId: lot.id,
      method: 'enzyme_inhibition',
      analyte: '有机磷',
      sampleCount: 5,
      result: 'negative',
      testedAt: at,
    },
  });
  const issuer = await prisma.issuer.create({
    data: {
      kind: 'producer',
      name: '绿源合作社',
      subjectId: `91430100MA4L${suffix}`,
      subjectIdKind: 'other',
      contact: '0731-1',
      regionCode: region.code,
    },
  });
  const certificate = (id: string) =>
    prisma.certificate.create({
      data: {
        id,
        kind: 'producer',
        issuerId: issuer.id,
        keyId: 'k',
        code: id,
        productCode: 1,
        productName: '辣椒',
        category: 'vegetable',
        quantity: 50,
        unit: 'kg',
        originRegion: region.code,
        issuerName: issuer.name,
        contact: issuer.contact,
        basis: 'quality_control',
        issuedAt: at,
        createdAt: at,
      },
    });
  const parent = await certificate(`p-${suffix}`);
  const child = await certificate(`c-${suffix}`);
  await prisma.certificateParent.create({ data: { childId: child.id, parentId: parent.id, quantity: 10 } });
  return { lot, document, violation, event, rapidTest, child, parent };
}

/**
 * The evidence around retained records (a lot's documents, a certificate's parents, a violation's events, rapid
 * tests) and the certificate itself is refused deletion and ageing by the database while younger than six months,
 * and deletes normally after; shared by both databases' tests.
 */
export async function evidenceRetention(prisma: PrismaClient): Promise<void> {
  const young = await evidence(prisma, 'young', new Date());
  const refusals = [
    prisma.lotDocument.delete({ where: { id: young.document.id } }),
    prisma.lotDocument.update({ where: { id: young.document.id }, data: { createdAt: sevenMonthsAgo() } }),
    prisma.violationEvent.delete({ where: { id: young.event.id } }),
    prisma.violationEvent.update({ where: { id: young.event.id }, data: { at: sevenMonthsAgo() } }),
    prisma.rapidTest.delete({ where: { id: young.rapidTest.id } }),
    prisma.rapidTest.update({ where: { id: young.rapidTest.id }, data: { testedAt: sevenMonthsAgo() } }),
    prisma.certificateParent.deleteMany({ where: { childId: young.child.id } }),
    prisma.certificateParent.updateMany({ where: { childId: young.child.id }, data: { quantity: 1 } }),
    prisma.certificate.update({ where: { id: young.parent.id }, data: { createdAt: sevenMonthsAgo() } }),
  ];
  for (const work of refusals) expect(await outcomeOf(work)).toBe('retention refused');
  expect(await prisma.lotDocument.count({ where: { id: young.document.id } })).toBe(1);
  expect(await prisma.certificateParent.count({ where: { childId: young.child.id } })).toBe(1);

  const old = await evidence(prisma, 'old', sevenMonthsAgo());
  await prisma.$transaction([
    prisma.lotDocument.delete({ where: { id: old.document.id } }),
    prisma.violationEvent.delete({ where: { id: old.event.id } }),
    prisma.rapidTest.delete({ where: { id: old.rapidTest.id } }),
    prisma.certificateParent.deleteMany({ where: { childId: old.child.id } }),
    prisma.certificate.delete({ where: { id: old.child.id } }),
  ]);
  expect(await prisma.certificate.count({ where: { id: old.child.id } })).toBe(0);
}

/** A vendor's file stays while they trade and for six months after leftAt; leftAt cannot be moved once set. */
export async function vendorFileRetention(prisma: PrismaClient): Promise<void> {
  const fields = { name: '张三', subjectId: '430102199001011234', contact: '13800000000' };
  const trading = await prisma.vendor.create({ data: fields });
  expect(await outcomeOf(prisma.vendor.delete({ where: { id: trading.id } }))).toBe('retention refused');

  const leftLately = await prisma.vendor.create({
    data: { ...fields, active: false, leftAt: new Date(Date.now() - 30 * day) },
  });
  expect(await outcomeOf(prisma.vendor.delete({ where: { id: leftLately.id } }))).toBe('retention refused');
  expect(
    await outcomeOf(
      prisma.vendor.update({ where: { id: leftLately.id }, data: { leftAt: sevenMonthsAgo() } }),
    ),
  ).toBe('retention refused');

  const leftLongAgo = await prisma.vendor.create({
    data: { ...fields, active: false, leftAt: sevenMonthsAgo() },
  });
  await prisma.vendor.delete({ where: { id: leftLongAgo.id } });
  expect(
    await prisma.vendor.count({ where: { id: { in: [trading.id, leftLately.id, leftLongAgo.id] } } }),
  ).toBe(2);
}
