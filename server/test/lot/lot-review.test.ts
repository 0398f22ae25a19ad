import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

describe('clearing a lot in review charges the ledger', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;
  let coop: number;
  let staff: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
    coop = t.demo!.issuers.coop;
    staff = await t.login('mawangdui_gate', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  /** 100 箱 declared against a certificate in kg: the unit needs a person (UNIT_MISMATCH → review). */
  async function lotInReview(certificateText: string): Promise<string> {
    const lotId = await openLot(t, token, { quantity: 100, unit: 'box' });
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, certificateText) },
      bearer(token),
    );
    expect(res.json().verdict).toMatchObject({ outcome: 'review', primary: { code: 'UNIT_MISMATCH' } });
    return lotId;
  }
  const review = (lotId: string, body: object) =>
    t.inject({ method: 'POST', url: `/api/v1/lots/${lotId}/review`, payload: body }, staff);
  const used = async (id: string) =>
    (await t.prisma.certificate.findUniqueOrThrow({ where: { id } })).usedQuantity;

  it('charges the quantity the reviewer confirms, so the same certificate cannot clear the goods twice', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    const first = await lotInReview(cert.text);
    const cleared = await review(first, {
      decision: 'clear',
      charges: [{ certificateId: cert.id, quantity: 100 }],
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(await used(cert.id)).toBe(100);
    const documents = await t.prisma.lotDocument.findMany({ where: { lotId: first } });
    expect(documents.map((d) => d.quantityClaim)).toEqual([100]);

    // Before the fix, these two were cleared with nothing charged and a full 100 kg lot still passed.
    const second = await lotInReview(cert.text);
    const refused = await review(second, {
      decision: 'clear',
      charges: [{ certificateId: cert.id, quantity: 100 }],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('QUANTITY_EXCEEDED');
    expect(await t.prisma.lot.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
      status: 'judged',
      outcome: 'review',
    });
    const kilos = await openLot(t, token, { quantity: 100 });
    const reuse = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(kilos, gateId, cert.text) },
      bearer(token),
    );
    expect(reuse.json().verdict).toMatchObject({ outcome: 'reject', primary: { code: 'QUANTITY_EXCEEDED' } });
    expect(await used(cert.id)).toBe(100);
  });

  it('refuses a clearing that confirms no quantity, or names a certificate not read for the lot', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    const other = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    const lotId = await lotInReview(cert.text);
    const unconfirmed = await review(lotId, { decision: 'clear' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.code).toBe('VALIDATION_FAILED');
    const foreign = await review(lotId, {
      decision: 'clear',
      charges: [
        { certificateId: cert.id, quantity: 10 },
        { certificateId: other.id, quantity: 10 },
      ],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('INVALID_REFERENCE');
    expect([await used(cert.id), await used(other.id)]).toEqual([0, 0]);
    const confirmed = await review(lotId, { decision: 'confirm_violation' });
    expect(confirmed.statusCode).toBe(200);
    expect(await used(cert.id)).toBe(0);
  });
});
