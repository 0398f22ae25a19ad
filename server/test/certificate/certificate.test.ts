import { buildTrustIndex, readCode, type TrustSnapshot } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { defaultRuleSet } from '@liangzheng/domain/rules/default-rule-set';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.ts';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, TEST_NOW, type TestApp } from '../helper.ts';
import { pdfTitle } from './pdf-info.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** The trust data as the server stores it: every issuer key, issuer and revocation. */
async function trustFromDb(db: Db, host: string): Promise<TrustSnapshot> {
  const keys = await db.issuerKey.findMany();
  const issuers = await db.issuer.findMany();
  const revoked = await db.certificate.findMany({ where: { status: 'void' }, select: { id: true } });
  return {
    format: 1,
    version: 1,
    issuedAt: TEST_NOW.toISOString(),
    expiresAt: new Date(TEST_NOW.getTime() + 86_400_000).toISOString(),
    codeHosts: [host],
    keys: keys.map((k) => ({
      keyId: k.keyId,
      issuerId: k.issuerId,
      publicKey: k.publicKey,
      validFrom: k.validFrom.toISOString(),
      validTo: k.validTo?.toISOString() ?? null,
      status: k.status as 'active',
    })),
    issuers: issuers.map((i) => ({
      issuerId: i.id,
      name: i.name,
      subjectId: i.subjectId,
      contact: i.contact,
      creditGrade: i.creditGrade as 'A',
    })),
    products: [],
    revoked: revoked.map((r) => r.id),
    unverifiedSources: [],
    foreignPlatforms: [],
    rules: defaultRuleSet,
  };
}

const cabbage = {
  productCode: 1001,
  quantity: 500,
  unit: 'kg',
  originRegion: '430182',
  originText: '湖南省宁乡市花明楼镇',
  basis: 'self_tested',
} as const;

async function producer(): Promise<SessionHeaders> {
  return t.login(t.demo!.users.producer, t.demo!.password);
}

describe('issuing', () => {
  it('issues a certificate whose code verifies with the domain readCode against the server trust data', async () => {
    t = await buildTestApp({ demo: true });
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: { issuerId: t.demo!.issuers.coop, ...cabbage },
      },
      await producer(),
    );
    expect(res.statusCode).toBe(201);
    const { certificate, qr } = res.json();
    expect(certificate).toMatchObject({
      kind: 'producer',
      productName: '大白菜',
      quantity: 500,
      status: 'valid',
    });
    expect(certificate.issuerName).toBe('宁乡市绿源蔬菜种植专业合作社');
    expect(qr.svg).toContain('<svg');
    expect(qr.pngDataUrl).toMatch(/^data:image\/png;base64,/);

    const trust = buildTrustIndex(await trustFromDb(t.prisma, t.config.codeHost));
    const reading = readCode(certificate.code, trust, nodeEd25519);
    expect(reading.kind).toBe('liangzheng');
    if (reading.kind !== 'liangzheng') return;
    expect(reading.failure).toBeUndefined();
    expect(reading.payload).toMatchObject({
      id: certificate.id,
      issuerId: t.demo!.issuers.coop,
      quantity: 500,
    });
  });

  it('refuses to issue in another producer’s name', async () => {
    t = await buildTestApp({ demo: true });
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: { issuerId: t.demo!.issuers.farm, ...cabbage },
      },
      await producer(),
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('issues a batch all-or-none: one unknown product refuses the whole day', async () => {
    t = await buildTestApp({ demo: true });
    const headers = await producer();
    const before = await t.prisma.certificate.count({ where: { issuerId: t.demo!.issuers.coop } });
    const bad = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates/batch',
        payload: { issuerId: t.demo!.issuers.coop, items: [cabbage, { ...cabbage, productCode: 9999 }] },
      },
      headers,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_REFERENCE');
    expect(await t.prisma.certificate.count({ where: { issuerId: t.demo!.issuers.coop } })).toBe(before);
    const good = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates/batch',
        payload: { issuerId: t.demo!.issuers.coop, items: [cabbage, { ...cabbage, productCode: 1002 }] },
      },
      headers,
    );
    expect(good.statusCode).toBe(201);
    expect(
      good
        .json()
        .certificates.map((c: { certificate: { productName: string } }) => c.certificate.productName),
    ).toEqual(['大白菜', '辣椒']);
  });
});

describe('void', () => {
  it('voids once, records a revocation trust change and emits certificate.voided', async () => {
    t = await buildTestApp({ demo: true });
    const headers = await producer();
    const issued = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: { issuerId: t.demo!.issuers.coop, ...cabbage },
      },
      headers,
    );
    const id = issued.json().certificate.id;
    const events: unknown[] = [];
    t.app.events.on('certificate.voided', (e) => events.push(e));
    const res = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${id}/void`, payload: { reason: '批次抽检不合格' } },
      headers,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'void', voidReason: '批次抽检不合格' });
    expect(await t.prisma.trustChange.count({ where: { kind: 'revocation', ref: id } })).toBe(1);
    expect(events).toEqual([
      {
        revoked: [expect.objectContaining({ certificateId: id, reason: '批次抽检不合格' })],
        at: expect.any(String),
      },
    ]);

    const again = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${id}/void`, payload: { reason: 'again' } },
      headers,
    );
    expect(again.json().error.code).toBe('ALREADY_VOID');

    const trust = buildTrustIndex(await trustFromDb(t.prisma, t.config.codeHost));
    const reading = readCode(issued.json().certificate.code, trust, nodeEd25519);
    expect(reading.kind === 'liangzheng' && reading.failure?.reason).toBe('REVOKED');
  });
});

describe('print label', () => {
  it('is a PDF titled 承诺达标合格证 in both sizes', async () => {
    t = await buildTestApp({ demo: true });
    const headers = await producer();
    const issued = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: { issuerId: t.demo!.issuers.coop, ...cabbage },
      },
      headers,
    );
    const id = issued.json().certificate.id;
    for (const size of ['60x40', '60x80']) {
      const res = await t.inject(
        { method: 'GET', url: `/api/v1/certificates/${id}/label.pdf?size=${size}` },
        headers,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfTitle(res.rawPayload)).toBe(`承诺达标合格证 ${id}`);
    }
    const bad = await t.inject(
      { method: 'GET', url: `/api/v1/certificates/${id}/label.pdf?size=A4` },
      headers,
    );
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('hides another producer’s certificate (404)', async () => {
    t = await buildTestApp({ demo: true });
    const issued = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: { issuerId: t.demo!.issuers.coop, ...cabbage },
      },
      await producer(),
    );
    const other = await t.login('jinyang_farm', t.demo!.password);
    const res = await t.inject(
      { method: 'GET', url: `/api/v1/certificates/${issued.json().certificate.id}` },
      other,
    );
    expect(res.statusCode).toBe(404);
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const seen = await t.inject(
      { method: 'GET', url: `/api/v1/certificates/${issued.json().certificate.id}` },
      admin,
    );
    expect(seen.statusCode).toBe(200);
  });
});
