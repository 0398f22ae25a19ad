import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { addGateDevice, bearer } from '../scan/scan-fixture.ts';
import { testPhoto, testPhotoBase64 } from './photo-fixture.ts';

const declaration = {
  productName: '大白菜',
  productCode: 1001,
  category: 'vegetable',
  quantity: 80,
  unit: 'kg',
};
const paper = {
  productName: '大白菜',
  quantity: 80,
  unit: 'kg',
  origin: '湖南宁乡',
  issuerName: '宁乡市绿源蔬菜种植专业合作社',
  contact: '0731-87862210',
  issuedOn: '2026-03-14',
  basis: '自我承诺',
};
const paperLot = (photo: string) => ({ declaration, documents: [{ type: 'paper', fields: paper, photo }] });

describe('paper certificate photos', () => {
  let t: TestApp;
  let device: Record<string, string>;

  beforeAll(async () => {
    // Room for three test photos a day, so the budget is reached in a few lots.
    t = await buildTestApp({ demo: true, config: { photoBytesPerDay: testPhoto.length * 3 } });
    device = bearer(t.demo!.deviceToken);
  }, 60_000);
  afterAll(async () => t?.close());

  const post = (body: object, headers = device) =>
    t.inject({ method: 'POST', url: '/api/v1/lots', payload: body }, headers);

  it('refuses a photo that is not a JPEG, PNG or WebP image, and writes nothing', async () => {
    const before = await t.prisma.lot.count();
    for (const bytes of [
      Buffer.from('a text file dressed as base64'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      testPhoto.subarray(0, 20),
    ]) {
      const res = await post(paperLot(bytes.toString('base64')));
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.json().error.issues[0].message).toMatch(/JPEG、PNG 或 WebP/);
    }
    expect(await t.prisma.lot.count()).toBe(before);
  });

  it('reads a photo back for the market’s staff and the region’s regulators, as the image it is', async () => {
    const lot = (await post(paperLot(testPhotoBase64))).json().lot;
    const url = `/api/v1/lots/${lot.id}/documents/${lot.documents[0].id}/photo`;
    for (const user of [t.demo!.users.gate_staff, t.demo!.users.market_admin, t.demo!.users.regulator]) {
      const res = await t.inject({ method: 'GET', url }, await t.login(user, t.demo!.password));
      expect(res.statusCode, user).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(Buffer.compare(res.rawPayload, testPhoto)).toBe(0);
    }
    const elsewhere = await t.login(t.demo!.users.otherMarketAdmin, t.demo!.password);
    expect((await t.inject({ method: 'GET', url }, elsewhere)).statusCode).toBe(404);
    const otherRegion = await t.login(t.demo!.users.otherRegulator, t.demo!.password);
    expect((await t.inject({ method: 'GET', url }, otherRegion)).statusCode).toBe(404);
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    expect((await t.inject({ method: 'GET', url }, vendor)).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('serves bytes stored before photos were checked as a download, never as a page', async () => {
    const lot = (await post({ declaration, documents: [{ type: 'paper', fields: paper }] })).json().lot;
    const documentId = lot.documents[0].id;
    const page = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await t.prisma.lotDocument.update({ where: { id: documentId }, data: { photo: page } });
    const res = await t.inject(
      { method: 'GET', url: `/api/v1/lots/${lot.id}/documents/${documentId}/photo` },
      await t.login(t.demo!.users.gate_staff, t.demo!.password),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="photo-${documentId}"`);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.compare(res.rawPayload, page)).toBe(0);
  });

  it('gives each device a daily photo budget: past it a lot with a photo is refused, alone and in a batch, until the next day', async () => {
    // One photo went in above; two more fit.
    for (let i = 0; i < 2; i++) expect((await post(paperLot(testPhotoBase64))).statusCode).toBe(201);
    const over = await post(paperLot(testPhotoBase64));
    expect([over.statusCode, over.json().error.code]).toEqual([429, 'PHOTO_BUDGET_EXCEEDED']);
    const batch = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/scans/batch',
        payload: { lots: [{ id: 'photo-over-budget', ...paperLot(testPhotoBase64) }], scans: [] },
      },
      device,
    );
    expect(batch.json().lots[0]).toMatchObject({ ok: false, error: { code: 'PHOTO_BUDGET_EXCEEDED' } });
    // Lots without a photo still go in; another device has its own budget.
    expect((await post({ declaration, noCertificate: true })).statusCode).toBe(201);
    const north = await t.prisma.gate.findFirstOrThrow({
      where: { marketId: t.demo!.markets.wholesale, id: { not: t.demo!.gates.wholesaleEast } },
    });
    const other = bearer(await addGateDevice(t, north.id, 'north-photos'));
    expect((await post(paperLot(testPhotoBase64), other)).statusCode).toBe(201);
    // The next market day the allowance is whole again.
    (t.clock as FixedClock).advance(24 * 3_600_000);
    expect((await post(paperLot(testPhotoBase64))).statusCode).toBe(201);
  });
});
