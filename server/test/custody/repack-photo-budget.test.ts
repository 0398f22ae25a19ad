import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { testPhoto, testPhotoBase64 } from '../lot/photo-fixture.ts';
import { bearer } from '../scan/scan-fixture.ts';
import { cooperativeCertificates, lotItem, transformAt, truckForStall } from './custody-fixture.ts';

const paperDeclaration = {
  productName: '大白菜',
  productCode: 1001,
  category: 'vegetable',
  quantity: 80,
  unit: 'kg',
};
const paperFields = {
  productName: '大白菜',
  quantity: 80,
  unit: 'kg',
  origin: '湖南宁乡',
  issuerName: '宁乡市绿源蔬菜种植专业合作社',
  contact: '0731-87862210',
  issuedOn: '2026-03-14',
  basis: '自我承诺',
};

/**
 * docs/custody.md, unverified sources: a repack's source photos count against the vendor's day of photos, as a
 * lot's paper photos count against the gate's (PHOTO_BUDGET_EXCEEDED, the market's day).
 */
describe('repack photos against the daily photo budget', () => {
  let t: TestApp;
  let vendor: SessionHeaders;

  beforeAll(async () => {
    // Room for three test photos a day, as in the lot photo test.
    t = await buildTestApp({ demo: true, config: { photoBytesPerDay: testPhoto.length * 3 } });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
  }, 120_000);
  afterAll(async () => t?.close());

  /** 100 kg of 大白菜 accepted at the gate for A-01. */
  async function receivedCabbage() {
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId, outcome } = await truckForStall(t, t.demo!.stalls.a01, [certificate!], { quantity: 100 });
    expect(outcome).toBe('accept');
    return lotItem(lotId, certificate!.id);
  }

  /** A repack of 10 kg of cabbage with `photos` photographed paper sources (1 kg each). */
  async function repack(itemId: string, photos: number, unphotographed = 0) {
    const sources = [
      ...Array.from({ length: photos }, (_, k) => ({ photo: testPhotoBase64, k })),
      ...Array.from({ length: unphotographed }, (_, k) => ({ photo: undefined, k: photos + k })),
    ].map(({ photo, k }) => ({
      kind: 'paper',
      description: `王五的纸质合格证 ${k}`,
      quantity: 1,
      unit: 'kg',
      ...(photo ? { photo } : {}),
    }));
    return transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: sources,
      outputs: [{ quantity: 10 + sources.length, keep: true }],
    });
  }

  const written = async (itemId: string) => ({
    transformations: await t.prisma.transformation.count(),
    sources: await t.prisma.unverifiedSource.count(),
    certificates: await t.prisma.certificate.count(),
    audit: await t.prisma.auditLog.count(),
    drawn: (await t.prisma.inventoryItem.findUniqueOrThrow({ where: { id: itemId } })).drawn,
  });

  it('refuses a repack whose photos pass the day’s allowance with PHOTO_BUDGET_EXCEEDED, writing nothing', async () => {
    const itemId = await receivedCabbage();
    expect((await repack(itemId, 2)).statusCode).toBe(201);

    const before = await written(itemId);
    const over = await repack(itemId, 2);
    expect([over.statusCode, over.json().error.code]).toEqual([429, 'PHOTO_BUDGET_EXCEEDED']);
    expect(over.json().error.message).toContain('今日照片上传量已用完');
    expect(await written(itemId)).toEqual(before);

    // what still fits goes in: the third photo, then repacks without photos
    expect((await repack(itemId, 1)).statusCode).toBe(201);
    expect((await repack(itemId, 0, 1)).statusCode).toBe(201);
    const full = await repack(itemId, 1);
    expect([full.statusCode, full.json().error.code]).toEqual([429, 'PHOTO_BUDGET_EXCEEDED']);
  });

  it('counts per uploader: the gate’s lot photos leave the vendor’s allowance alone, and a new day starts whole', async () => {
    const itemId = await receivedCabbage();
    // the vendor has used the day's allowance above
    expect((await repack(itemId, 1)).json().error.code).toBe('PHOTO_BUDGET_EXCEEDED');
    // the gate device still has its own three photos today
    const device = bearer(t.demo!.deviceToken);
    for (let i = 0; i < 3; i++) {
      const lot = await t.inject(
        {
          method: 'POST',
          url: '/api/v1/lots',
          payload: {
            declaration: paperDeclaration,
            documents: [{ type: 'paper', fields: paperFields, photo: testPhotoBase64 }],
          },
        },
        device,
      );
      expect(lot.statusCode).toBe(201);
    }
    (t.clock as FixedClock).advance(24 * 3_600_000);
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password); // the day's session has ended
    expect((await repack(itemId, 3)).statusCode).toBe(201);
  });
});
