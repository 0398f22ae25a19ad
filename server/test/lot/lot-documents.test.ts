import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

describe('second documents shown after the lot was registered', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;
  let staff: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
    staff = await t.login('mawangdui_gate', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  const add = (lotId: string, body: object, headers: Record<string, string> = staff) =>
    t.inject({ method: 'POST', url: `/api/v1/lots/${lotId}/documents`, payload: body }, headers);
  const quarantine = { type: 'second_document', kind: 'animal_quarantine', number: '4301020260315001' };

  it('judges the next scan of an open livestock lot with the quarantine certificate added later', async () => {
    const cert = await issueTestCertificate(t, {
      issuerId: t.demo!.issuers.coop,
      category: 'livestock_poultry',
      productName: '生猪',
      quantity: 100,
    });
    const lotId = await openLot(t, token, {
      category: 'livestock_poultry',
      productName: '生猪',
      quantity: 100,
    });
    const added = await add(lotId, { documents: [quarantine] });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().documents).toMatchObject([
      { type: 'second_document', secondKind: 'animal_quarantine', fields: { number: quarantine.number } },
    ]);
    const scan = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, cert.text) },
      bearer(token),
    );
    const reasons = (scan.json().verdict.reasons as { code: string }[]).map((r) => r.code);
    expect(reasons).not.toContain('SECOND_DOCUMENT_REQUIRED');
    expect(await t.prisma.auditLog.count({ where: { action: 'lot.documents.added', entityId: lotId } })).toBe(
      1,
    );
  });

  it('refuses a judged lot (409 LOT_CLOSED), an unknown kind (400) and another market’s lot (404)', async () => {
    const judged = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          declaration: { productName: '生猪', category: 'livestock_poultry', quantity: 1, unit: 'head' },
          noCertificate: true,
        },
      },
      bearer(token),
    );
    const closed = await add(judged.json().lot.id, { documents: [quarantine] });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('LOT_CLOSED');

    const lotId = await openLot(t, token);
    const unknown = await add(lotId, { documents: [{ ...quarantine, kind: 'fishing_licence' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED');
    expect(await add(lotId, { documents: [] }).then((r) => r.statusCode)).toBe(400);

    const otherMarket = await t.login('tianyuan_gate', t.demo!.password);
    const hidden = await add(lotId, { documents: [quarantine] }, otherMarket);
    expect(hidden.statusCode).toBe(404);
    expect(await t.prisma.lotDocument.count({ where: { lotId } })).toBe(0);
  });
});
