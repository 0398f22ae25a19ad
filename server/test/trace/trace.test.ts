import { CertificateTrace } from '@liangzheng/domain';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceEvents } from '../../src/trace/trace-sheet.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { addGateDevice, bearer, openLot, scanBody } from '../scan/scan-fixture.ts';

/** The demo's accepted lot that brought the producer's 大白菜 to 张桂兰's stall (server/src/demo/demo.ts). */
const demoStallLot = 'demo-lot-a01-cabbage';

describe('certificate trace for regulators', () => {
  let t: TestApp;
  let producerId: string;
  let repackId: string;
  let wholesaleLot: string;
  let supermarketLot: string;
  const as: Record<string, Record<string, string>> = {};

  async function scan(token: string, gateId: number, lotId: string, certificateId: string) {
    const { code } = await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificateId } });
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, code) },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
  }

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const demo = t.demo!;
    producerId = demo.certificateIds[0]!;
    repackId = demo.certificateIds.at(-1)!;
    // The repack (张桂兰's stall, 长沙) arrives at 马王堆; the producer's own certificate at 株洲's supermarket.
    wholesaleLot = await openLot(t, demo.deviceToken, { quantity: 50 });
    await scan(demo.deviceToken, demo.gates.wholesaleEast, wholesaleLot, repackId);
    const dockToken = await addGateDevice(t, demo.gates.supermarketDock, 'dock');
    supermarketLot = await openLot(t, dockToken, { quantity: 80 });
    await scan(dockToken, demo.gates.supermarketDock, supermarketLot, producerId);
    as.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    as.cs = await t.login('changsha_regulator', demo.password);
    as.zz = await t.login('zhuzhou_regulator', demo.password);
    as.gate = await t.login('mawangdui_gate', demo.password);
    as.coop = await t.login('lvyuan_coop', demo.password);
    as.farm = await t.login('jinyang_farm', demo.password);
  }, 120_000);
  afterAll(async () => t?.close());

  const trace = async (id: string, who: string) => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/certificates/${id}/trace` }, as[who]);
    return {
      status: res.statusCode,
      body: res.statusCode === 200 ? CertificateTrace.parse(res.json()) : res.json(),
    };
  };

  it('goes down from the producer to the repack and to every lot and scan in the region', async () => {
    const { status, body } = await trace(producerId, 'cs');
    expect(status).toBe(200);
    const got = CertificateTrace.parse(body);
    expect(got.regionPrefix).toBe('4301');
    expect(got.certificates.map((c) => [c.id, c.depth])).toEqual([
      [producerId, 0],
      [repackId, 1],
    ]);
    expect(got.certificates[1]!.parents).toEqual([{ certificateId: producerId, quantity: 200 }]);
    // The 株洲 supermarket's lot is outside 长沙's region; the repack's lot at 马王堆 is in it, and so is the
    // demo's own lot that brought the producer's goods to the repacking stall.
    expect(got.lots.map((l) => [l.lotId, l.certificateId, l.marketName]).sort()).toEqual(
      [
        [demoStallLot, producerId, '长沙马王堆蔬菜批发市场'],
        [wholesaleLot, repackId, '长沙马王堆蔬菜批发市场'],
      ].sort(),
    );
    expect(got.lots.find((l) => l.lotId === wholesaleLot)!.gateName).toBe('东门 1 号道口');
    expect(got.scans.map((s) => [s.lotId, s.certificateId])).toEqual([[wholesaleLot, repackId]]);
    expect(got.truncated).toBe(false);
  });

  it('goes up from the repack to its producer with the quantity taken', async () => {
    const { status, body } = await trace(repackId, 'cs');
    expect(status).toBe(200);
    const got = CertificateTrace.parse(body);
    expect(got.certificates.map((c) => [c.id, c.depth])).toEqual([
      [producerId, -1],
      [repackId, 0],
    ]);
    expect(got.certificates.find((c) => c.id === producerId)!.parents).toEqual([]);
    // Lots of the producer's other uses are not this repack's downstream.
    expect(got.lots.map((l) => l.lotId)).toEqual([wholesaleLot]);
  });

  it('admins see every market', async () => {
    const got = CertificateTrace.parse((await trace(producerId, 'admin')).body);
    expect(got.regionPrefix).toBeNull();
    expect(got.lots.map((l) => l.lotId).sort()).toEqual([wholesaleLot, supermarketLot, demoStallLot].sort());
    expect(got.scans).toHaveLength(2);
  });

  it("another region's regulator finds a certificate only through a use in their region, and sees only that", async () => {
    const found = await trace(producerId, 'zz');
    expect(found.status).toBe(200);
    const got = CertificateTrace.parse(found.body);
    expect(got.lots.map((l) => l.lotId)).toEqual([supermarketLot]);
    expect(got.scans.map((s) => s.marketName)).toEqual(['株洲天元鲜生超市']);
    // The farm's certificate (浏阳) was never used in 株洲: it stays hidden.
    const farm = t.demo!.certificateIds[4]!;
    expect((await trace(farm, 'zz')).status).toBe(404);
    expect((await trace(farm, 'cs')).status).toBe(200);
    expect((await trace('0123456789abcdef', 'cs')).status).toBe(404);
  });

  it('shows a producer where its own certificate was scanned in every market, but not what buyers made of it', async () => {
    const { status, body } = await trace(producerId, 'coop');
    expect(status).toBe(200);
    const got = CertificateTrace.parse(body);
    expect(got.certificates.map((c) => [c.id, c.depth])).toEqual([[producerId, 0]]);
    expect(got.scans.map((s) => [s.lotId, s.certificateId, s.marketName, s.gateName, s.outcome])).toEqual([
      [supermarketLot, producerId, expect.stringContaining('株洲'), expect.any(String), 'accept'],
    ]);
    expect(got.lots.every((l) => l.certificateId === producerId)).toBe(true);
    expect(got.lots.map((l) => l.lotId).sort()).toEqual([demoStallLot, supermarketLot].sort());
    expect((await trace(repackId, 'coop')).status).toBe(404);
    expect((await trace(producerId, 'farm')).status).toBe(404);
    const sheet = await t.inject(
      { method: 'GET', url: `/api/v1/certificates/${producerId}/trace.xlsx` },
      as.coop,
    );
    expect(sheet.statusCode).toBe(403);
  });

  it('names the gate of each scan', async () => {
    const { body } = await trace(repackId, 'cs');
    expect(CertificateTrace.parse(body).scans.map((s) => s.gateName)).toEqual(['东门 1 号道口']);
  });

  it('is for regulators and producers only', async () => {
    expect((await trace(producerId, 'gate')).status).toBe(403);
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/certificates/${producerId}/trace` })).statusCode,
    ).toBe(401);
  });

  it('exports a sortable spreadsheet: one row per event, header frozen and filterable, outcomes in Chinese', async () => {
    const res = await t.inject(
      { method: 'GET', url: `/api/v1/certificates/${producerId}/trace.xlsx` },
      as.cs,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`trace-${producerId}.xlsx`);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    const strings = strFromU8(files['xl/sharedStrings.xml'] ?? new Uint8Array());
    const text = sheet + strings;
    // header + issued + repacked + received (the demo's stall lot and the repack's). The gate scan that brought
    // the repack in is that lot's arrival, named on its row, not a second row.
    expect(sheet.match(/<row /g)).toHaveLength(5);
    const { id: scanId } = await t.prisma.scan.findFirstOrThrow({ where: { lotId: wholesaleLot } });
    for (const expected of [
      '出具 issued',
      '分装 repacked',
      '入场 received',
      producerId,
      repackId,
      `${wholesaleLot}; ${scanId}`,
      '放行',
      '有效',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('查验 scanned');
    expect(text).not.toContain(supermarketLot);
    expect(text).not.toMatch(/>(accept|valid)</);
    expect(sheet).toContain('state="frozen"');
    expect(sheet).toContain('<autoFilter ref="A1:K5"/>');
  });

  it('traces a producer with more repacks below it than one SQL list may hold, three levels deep', async () => {
    const root = await t.prisma.certificate.findUniqueOrThrow({ where: { id: producerId } });
    const { id: _id, createdAt: _c, ...fields } = root;
    // 700 repacks of the producer, and one repack of a repack of the first of them.
    const ids = Array.from({ length: 702 }, (_, i) => `ee${i.toString(16).padStart(14, '0')}`);
    await t.prisma.certificate.createMany({
      data: ids.map((id) => ({ ...fields, id, kind: 'repack', quantity: 1, usedQuantity: 0 })),
    });
    await t.prisma.certificateParent.createMany({
      data: [
        ...ids.slice(0, 700).map((childId) => ({ childId, parentId: producerId, quantity: 1 })),
        { childId: ids[700]!, parentId: ids[0]!, quantity: 1 },
        { childId: ids[701]!, parentId: ids[700]!, quantity: 1 },
      ],
    });
    const down = await trace(producerId, 'admin');
    expect(down.status).toBe(200);
    const depths = new Map(down.body.certificates.map((c: { id: string; depth: number }) => [c.id, c.depth]));
    for (const id of ids.slice(0, 700)) expect(depths.get(id)).toBe(1);
    expect([depths.get(ids[700]!), depths.get(ids[701]!)]).toEqual([2, 3]);
    const up = await trace(ids[701]!, 'admin');
    expect(up.body.certificates.map((c: { depth: number }) => c.depth)).toEqual([-3, -2, -1, 0]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.paths['/api/v1/certificates/{id}/trace'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/certificates/{id}/trace.xlsx'].get).toBeDefined();
  });
});

describe('trace events', () => {
  it('list a lot that holds two documents of one certificate as one arrival, with both claims', () => {
    const lot = {
      lotId: 'lot-1',
      certificateId: 'cert-1',
      marketId: 1,
      marketName: '长沙马王堆蔬菜批发市场',
      regionCode: '430102',
      gateId: 1,
      gateName: '东门 1 号道口',
      stallId: null,
      stallNumber: null,
      productName: '大白菜',
      quantity: 100,
      unit: 'kg',
      quantityClaim: 50,
      openedAt: '2026-12-03T01:00:00.000Z',
      status: 'judged',
      outcome: 'accept',
    };
    const events = traceEvents({
      certificateId: 'cert-1',
      regionPrefix: null,
      certificates: [],
      lots: [lot, { ...lot, quantityClaim: 30 }],
      scans: [],
      truncated: false,
    });
    expect(events.map((e) => [e.event, e.reference, e.quantity, e.outcome])).toEqual([
      ['received', 'lot-1', 80, '放行'],
    ]);
  });
});
