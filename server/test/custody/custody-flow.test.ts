import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/identity/password.ts';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, scanBody } from '../scan/scan-fixture.ts';
import {
  cooperativeCertificates,
  inventoryOf,
  lotItem,
  transformAt,
  truckForStall,
} from './custody-fixture.ts';

describe('custody: who holds the goods, and a vendor in its own name', () => {
  let t: TestApp;
  let vendor: SessionHeaders;
  let marketAdmin: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    marketAdmin = await t.login(t.demo!.users.market_admin, t.demo!.password);
  }, 120_000);
  afterAll(async () => t?.close());

  /** A vendor filed through the API on a stall of the wholesale market, and a user for it. */
  async function newVendorAtStall(number: string) {
    const stall = await t.inject(
      { method: 'POST', url: '/api/v1/stalls', payload: { marketId: t.demo!.markets.wholesale, number } },
      marketAdmin,
    );
    expect(stall.statusCode, stall.body).toBe(201);
    const stallId = stall.json().id as number;
    const filed = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/vendors',
        payload: {
          name: `摊主${number}`,
          subjectId: `43010219850101${number.replace(/\D/g, '').padStart(4, '0')}`,
          contact: '139 0000 1111',
          stallId,
        },
      },
      marketAdmin,
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const username = `vendor_${number.toLowerCase().replace(/\W/g, '')}`;
    await t.prisma.user.create({
      data: {
        username,
        displayName: `摊主${number}`,
        role: 'vendor',
        marketId: t.demo!.markets.wholesale,
        stallId,
        passwordHash: await hashPassword('a-long-password'),
      },
    });
    return {
      stallId,
      vendorId: filed.json().id as number,
      headers: await t.login(username, 'a-long-password'),
    };
  }

  it('a vendor filed through the API is linked to its own repacker identity, then issues for its stall', async () => {
    const { stallId, vendorId, headers } = await newVendorAtStall('C-07');
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId } = await truckForStall(t, stallId, [certificate!], { quantity: 100 });
    const resale = {
      kind: 'resale',
      inputs: [{ itemId: lotItem(lotId, certificate!.id), quantity: 10 }],
      outputs: [{ quantity: 10 }],
    };

    const unlinked = await transformAt(t, stallId, headers, resale);
    expect([unlinked.statusCode, unlinked.json().error.code]).toEqual([409, 'NO_ISSUER_IDENTITY']);

    const link = await t.inject({ method: 'POST', url: `/api/v1/vendors/${vendorId}/issuer` }, marketAdmin);
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json()).toMatchObject({ vendorId, issuerName: '摊主C-07', created: true });
    const again = await t.inject({ method: 'POST', url: `/api/v1/vendors/${vendorId}/issuer` }, marketAdmin);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'ALREADY_EXISTS']);

    const issued = await transformAt(t, stallId, headers, resale);
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json().outputs[0]).toMatchObject({
      issuerId: link.json().issuerId,
      issuerName: '摊主C-07',
    });
  });

  it('drawing from another stall’s goods is NOT_IN_CUSTODY, and another stall’s path is hidden', async () => {
    const other = await newVendorAtStall('C-08');
    await t.inject({ method: 'POST', url: `/api/v1/vendors/${other.vendorId}/issuer` }, marketAdmin);
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId } = await truckForStall(t, t.demo!.stalls.a01, [certificate!], { quantity: 100 });
    const itemOfA01 = lotItem(lotId, certificate!.id);
    await inventoryOf(t, t.demo!.stalls.a01, vendor);
    const resale = {
      kind: 'resale',
      inputs: [{ itemId: itemOfA01, quantity: 10 }],
      outputs: [{ quantity: 10 }],
    };

    const foreign = await transformAt(t, other.stallId, other.headers, resale);
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([403, 'NOT_IN_CUSTODY']);
    const hidden = await transformAt(t, t.demo!.stalls.a01, other.headers, resale);
    expect(hidden.statusCode).toBe(404);
    // The certificate id printed on the public page is no way in either: items are named by custody, not by code.
    const byCode = await transformAt(t, other.stallId, other.headers, {
      ...resale,
      inputs: [{ itemId: `out:${certificate!.id}`, quantity: 10 }],
    });
    expect([byCode.statusCode, byCode.json().error.code]).toEqual([403, 'NOT_IN_CUSTODY']);
    const item = await t.prisma.inventoryItem.findUniqueOrThrow({ where: { id: itemOfA01 } });
    expect(item.drawn).toBe(0);
  });

  it('goods received at a stall without a gate: same verdict and ledger charge, then in the inventory', async () => {
    const certificate = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 40 });
    const receive = (stallId: number, headers: Record<string, string>) =>
      t.inject(
        {
          method: 'POST',
          url: `/api/v1/stalls/${stallId}/receipts`,
          payload: { scanId: randomUUID(), rawText: certificate.text },
        },
        headers,
      );
    const first = await receive(t.demo!.stalls.a01, vendor);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'accept', certificateId: certificate.id });
    expect(first.json().item).toMatchObject({ received: 40, left: 40, state: 'available' });
    const row = await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    expect(row.usedQuantity).toBe(40);

    // The same code shown again at another stall is re-use, judged and recorded as at a gate.
    const s01 = await t.login('vendor_s01', t.demo!.password);
    const reuse = await receive(t.demo!.stalls.s01, s01);
    expect(reuse.statusCode, reuse.body).toBe(200);
    expect(reuse.json()).toMatchObject({ outcome: 'reject', item: null });
    const violation = await t.prisma.violation.findFirstOrThrow({ where: { lotId: reuse.json().lotId } });
    expect(violation.reason).toBe('QUANTITY_EXCEEDED');
  });

  it('a resale buyer’s 样式二 code is accepted at the next market; the original code there is QUANTITY_EXCEEDED', async () => {
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId } = await truckForStall(t, t.demo!.stalls.a01, [certificate!], { quantity: 100 });
    const sold = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'resale',
      inputs: [{ itemId: lotItem(lotId, certificate!.id), quantity: 50 }],
      outputs: [{ quantity: 50 }],
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const buyerCode = sold.json().outputs[0].code as string;

    const dockToken = `lz-test-dock-${randomUUID()}`;
    const { tokenHash } = await import('../../src/identity/token.ts');
    await t.prisma.device.create({
      data: {
        id: 'test-dock',
        gateId: t.demo!.gates.supermarketDock,
        name: '收货口',
        tokenHash: tokenHash(dockToken),
      },
    });
    const arrive = async (text: string) => {
      const lot = await t.inject(
        {
          method: 'POST',
          url: '/api/v1/lots',
          payload: {
            declaration: {
              productName: '大白菜',
              productCode: 1001,
              category: 'vegetable',
              quantity: 50,
              unit: 'kg',
            },
          },
        },
        bearer(dockToken),
      );
      const res = await t.inject(
        {
          method: 'POST',
          url: '/api/v1/scans',
          payload: scanBody(lot.json().lot.id, t.demo!.gates.supermarketDock, text),
        },
        bearer(dockToken),
      );
      return res.json().verdict as { outcome: string; reasons: { code: string }[] };
    };
    expect((await arrive(buyerCode)).outcome).toBe('accept');
    const original = await arrive(certificate!.text);
    expect(original.outcome).toBe('reject');
    expect(original.reasons.map((r) => r.code)).toContain('QUANTITY_EXCEEDED');
  });

  it('market staff assign the unassigned stock to a stall, once', async () => {
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId } = await truckForStall(t, undefined, [certificate!], { quantity: 100 });
    const stock = await t.inject(
      { method: 'GET', url: `/api/v1/markets/${t.demo!.markets.wholesale}/inventory` },
      marketAdmin,
    );
    const itemId = lotItem(lotId, certificate!.id);
    expect((stock.json() as { id: string }[]).map((i) => i.id)).toContain(itemId);
    const assign = () =>
      t.inject(
        {
          method: 'POST',
          url: `/api/v1/inventory/${itemId}/assign`,
          payload: { stallId: t.demo!.stalls.a01 },
        },
        marketAdmin,
      );
    expect((await assign()).json()).toMatchObject({ stallId: t.demo!.stalls.a01, left: 100 });
    expect((await assign()).json().error.code).toBe('INACTIVE');
    const own = await inventoryOf(t, t.demo!.stalls.a01, vendor);
    expect((own.json() as { id: string }[]).map((i) => i.id)).toContain(itemId);
  });
});
