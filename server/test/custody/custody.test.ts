import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import {
  cooperativeCertificates,
  inventoryOf,
  lotItem,
  transformAt,
  truckForStall,
} from './custody-fixture.ts';

type Item = { id: string; left: number; received: number; state: string; certificateId: string };

describe('custody: inventory and transformations', () => {
  let t: TestApp;
  let vendor: SessionHeaders;
  let stallA01: number;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    stallA01 = t.demo!.stalls.a01;
  }, 120_000);
  afterAll(async () => t?.close());

  async function itemsById(stallId = stallA01, headers: Record<string, string> = vendor) {
    const res = await inventoryOf(t, stallId, headers, true);
    expect(res.statusCode, res.body).toBe(200);
    return new Map((res.json() as Item[]).map((item) => [item.id, item]));
  }

  /** A fresh 100 kg certificate accepted at the gate for stall A-01; its inventory item id. */
  async function receivedItem(quantity = 100) {
    const [certificate] = await cooperativeCertificates(t, 1, { quantity });
    const { lotId, outcome } = await truckForStall(t, stallA01, [certificate!], { quantity });
    expect(outcome).toBe('accept');
    return { itemId: lotItem(lotId, certificate!.id), certificate: certificate! };
  }

  it('a truck with three certificates puts each into the stall’s inventory, charged once', async () => {
    const certificates = await cooperativeCertificates(t, 3);
    const { lotId, outcome } = await truckForStall(t, stallA01, certificates, { quantity: 300 });
    expect(outcome).toBe('accept');
    const items = await itemsById();
    for (const certificate of certificates) {
      expect(items.get(lotItem(lotId, certificate.id))).toMatchObject({
        received: 100,
        left: 100,
        state: 'available',
      });
      const row = await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
      expect(row.usedQuantity).toBe(100);
    }
    // Reading again creates nothing twice.
    expect((await itemsById()).size).toBe(items.size);
    expect(await t.prisma.inventoryItem.count({ where: { lotId } })).toBe(3);
  });

  it('goods still reach the inventory behind 600 accepted lots that make no item (paper only)', async () => {
    const paperLots = Array.from({ length: 600 }, (_, i) => `0-paper-only-${String(i).padStart(3, '0')}`);
    await t.prisma.lot.createMany({
      data: paperLots.map((id) => ({
        id,
        marketId: t.demo!.markets.wholesale,
        stallId: stallA01,
        productName: '大白菜',
        category: 'vegetable',
        quantity: 10,
        unit: 'kg',
        status: 'closed',
        outcome: 'accept',
      })),
    });
    await t.prisma.lotDocument.createMany({
      data: paperLots.map((lotId) => ({ id: `${lotId}-doc`, lotId, type: 'paper' })),
    });
    const { itemId } = await receivedItem();
    expect((await itemsById()).get(itemId)).toMatchObject({ left: 100 });
  });

  it('分装 draws the stall’s inventory, never the source certificate’s ledger, and signs in the vendor’s name', async () => {
    const { itemId, certificate } = await receivedItem();
    const res = await transformAt(t, stallA01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 40 }],
      outputs: [{ quantity: 20 }, { quantity: 16 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'repack', taken: 40, made: 36, loss: 4, unit: 'kg' });
    expect(body.outputs).toHaveLength(2);
    expect(body.outputs[0]).toMatchObject({
      kind: 'repack',
      issuerId: t.demo!.issuers.repacker,
      productCode: 1001,
      category: 'vegetable',
      parents: [{ certificateId: certificate.id, quantity: 22.222 }],
    });
    const source = await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    expect(source.usedQuantity).toBe(100);
    expect((await itemsById()).get(itemId)).toMatchObject({ left: 60 });
  });

  it('a repack of a kept repack works (depth 2)', async () => {
    const { itemId } = await receivedItem();
    const first = await transformAt(t, stallA01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 50 }],
      outputs: [{ quantity: 48, keep: true }],
    });
    expect(first.statusCode, first.body).toBe(201);
    const kept = `out:${first.json().outputs[0].id}`;
    expect((await itemsById()).get(kept)).toMatchObject({ left: 48 });
    const second = await transformAt(t, stallA01, vendor, {
      kind: 'repack',
      inputs: [{ itemId: kept, quantity: 48 }],
      outputs: [{ quantity: 24 }, { quantity: 24 }],
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().outputs[0].parents).toEqual([
      { certificateId: first.json().outputs[0].id, quantity: 24 },
    ]);
  });

  it('混装 of two vegetables becomes 混装蔬菜 with both sources as parents', async () => {
    const { itemId: cabbage } = await receivedItem();
    const [pepper] = await cooperativeCertificates(t, 1, {
      quantity: 30,
      productCode: 1002,
      productName: '辣椒',
    });
    const { lotId } = await truckForStall(t, stallA01, [pepper!], {
      quantity: 30,
      productCode: 1002,
      productName: '辣椒',
    });
    const res = await transformAt(t, stallA01, vendor, {
      kind: 'repack',
      inputs: [
        { itemId: cabbage, quantity: 10 },
        { itemId: lotItem(lotId, pepper!.id), quantity: 3 },
      ],
      outputs: [{ quantity: 12 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().outputs[0]).toMatchObject({ productCode: 1999, productName: '混装蔬菜' });
    expect(res.json().outputs[0].parents).toHaveLength(2);
  });

  it('refuses bad transformations with a code, writing nothing', async () => {
    const { itemId } = await receivedItem();
    const before = {
      transformations: await t.prisma.transformation.count(),
      certificates: await t.prisma.certificate.count(),
    };
    const attempt = async (inputs: unknown, outputs: unknown, kind = 'repack') =>
      transformAt(t, stallA01, vendor, { kind, inputs, outputs });
    const cases: [string, Awaited<ReturnType<typeof attempt>>][] = [
      ['QUANTITY_EXCEEDED', await attempt([{ itemId, quantity: 101 }], [{ quantity: 100 }])],
      ['QUANTITY_EXCEEDED', await attempt([{ itemId, quantity: 10 }], [{ quantity: 11 }])],
      ['VALIDATION_FAILED', await attempt([{ itemId, quantity: 0 }], [{ quantity: 1 }])],
      ['VALIDATION_FAILED', await attempt([{ itemId, quantity: -5 }], [{ quantity: 1 }])],
      ['VALIDATION_FAILED', await attempt([{ itemId, quantity: 10 }], [{ quantity: 10, unit: 'lb' }])],
      ['UNIT_MISMATCH', await attempt([{ itemId, quantity: 10 }], [{ quantity: 10, unit: 'box' }])],
      ['CATEGORY_MISMATCH', await attempt([{ itemId, quantity: 10 }], [{ quantity: 10, productCode: 2001 }])],
      ['PRODUCT_MISMATCH', await attempt([{ itemId, quantity: 10 }], [{ quantity: 10, productCode: 1002 }])],
      ['LOSS_EXCEEDS_LIMIT', await attempt([{ itemId, quantity: 10 }], [{ quantity: 5 }])],
      ['LOSS_EXCEEDS_LIMIT', await attempt([{ itemId, quantity: 10 }], [{ quantity: 9 }], 'resale')],
      [
        'VALIDATION_FAILED',
        await attempt(
          [
            { itemId, quantity: 1 },
            { itemId, quantity: 1 },
          ],
          [{ quantity: 2 }],
        ),
      ],
    ];
    for (const [code, res] of cases)
      expect([res.statusCode, res.json().error?.code], res.body).toEqual([
        code === 'VALIDATION_FAILED' || code.endsWith('MISMATCH') ? 400 : 409,
        code,
      ]);
    // A non-finite quantity: JSON's 1e400 reads as Infinity.
    const infinite = await t.inject(
      {
        method: 'POST',
        url: `/api/v1/stalls/${stallA01}/transformations`,
        headers: { 'content-type': 'application/json' },
        payload: `{"kind":"repack","inputs":[{"itemId":"${itemId}","quantity":1e400}],"outputs":[{"quantity":1}]}`,
      },
      vendor,
    );
    expect([infinite.statusCode, infinite.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await t.prisma.transformation.count()).toBe(before.transformations);
    expect(await t.prisma.certificate.count()).toBe(before.certificates);
    expect((await itemsById()).get(itemId)).toMatchObject({ left: 100 });
  });

  it('a held item cannot be drawn on', async () => {
    const { itemId } = await receivedItem();
    await itemsById(); // items are made when the inventory is first read
    await t.prisma.inventoryItem.update({ where: { id: itemId }, data: { held: true, heldReason: '抽检' } });
    const res = await transformAt(t, stallA01, vendor, {
      kind: 'resale',
      inputs: [{ itemId, quantity: 10 }],
      outputs: [{ quantity: 10 }],
    });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'ITEM_HELD']);
  });

  it('voiding a repack returns its draw; once the buyer was admitted it is OUTPUT_ADMITTED', async () => {
    const { itemId } = await receivedItem();
    const made = await transformAt(t, stallA01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 40 }],
      outputs: [{ quantity: 20 }, { quantity: 16 }],
    });
    const [first, second] = made.json().outputs as { id: string }[];
    const voided = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${second!.id}/void`, payload: { reason: '数量开错' } },
      vendor,
    );
    expect(voided.statusCode, voided.body).toBe(200);
    expect((await itemsById()).get(itemId)!.left).toBeCloseTo(77.778, 6);
    await t.prisma.certificate.update({ where: { id: first!.id }, data: { usedQuantity: 20 } });
    const refused = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${first!.id}/void`, payload: { reason: '数量开错' } },
      vendor,
    );
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'OUTPUT_ADMITTED']);
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe('valid');
  });

  it('voiding a producer certificate voids every descendant and holds the goods', async () => {
    const { itemId, certificate } = await receivedItem();
    const made = await transformAt(t, stallA01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 50 }],
      outputs: [{ quantity: 48, keep: true }],
    });
    const child = made.json().outputs[0].id as string;
    const grandchild = (
      await transformAt(t, stallA01, vendor, {
        kind: 'resale',
        inputs: [{ itemId: `out:${child}`, quantity: 10 }],
        outputs: [{ quantity: 10 }],
      })
    ).json().outputs[0].id as string;
    const events: { certificateId: string }[] = [];
    t.app.events.on('certificate.voided', (event) => events.push(...event.revoked));
    const producer = await t.login(t.demo!.users.producer, t.demo!.password);
    const res = await t.inject(
      {
        method: 'POST',
        url: `/api/v1/certificates/${certificate.id}/void`,
        payload: { reason: '农残抽检超标' },
      },
      producer,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(events.map((e) => e.certificateId).sort()).toEqual([certificate.id, child, grandchild].sort());
    for (const id of [child, grandchild]) {
      const row = await t.prisma.certificate.findUniqueOrThrow({ where: { id } });
      expect([row.status, row.voidKind]).toEqual(['void', 'cascade']);
    }
    const items = await itemsById();
    expect(items.get(itemId)!.state).toBe('held');
    expect(items.get(`out:${child}`)!.state).toBe('held');
    const code = (await t.prisma.certificate.findUniqueOrThrow({ where: { id: grandchild } })).code;
    const page = await t.inject({ method: 'GET', url: `/api/v1/verify?code=${encodeURIComponent(code)}` });
    expect(page.json()).toMatchObject({ valid: false });
  });
});
