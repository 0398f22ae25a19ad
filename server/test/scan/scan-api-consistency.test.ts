import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../src/http/error-code.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

/** One scan, one answer shape: the same ids and codes alone, in a batch, and from agents old and new. */
describe('scan API consistency', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;
  let code: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
    code = (await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 10_000 })).text;
  }, 60_000);
  afterAll(async () => t?.close());

  const single = (body: unknown) =>
    t.inject({ method: 'POST', url: '/api/v1/scans', payload: body as object }, bearer(token));
  const batch = (scans: unknown[]) =>
    t.inject({ method: 'POST', url: '/api/v1/scans/batch', payload: { scans } }, bearer(token));

  it('takes gateId as an integer, as lots and gates have it', async () => {
    const body = scanBody(await openLot(t, token), gateId, code);
    expect(body.gateId).toBe(gateId);
    const res = await single(body);
    expect(res.statusCode, res.body).toBe(200);
  });

  it('still takes the string of digits that agents deployed before sent, as the same gate', async () => {
    const res = await single({ ...scanBody(await openLot(t, token), gateId, code), gateId: String(gateId) });
    expect(res.statusCode, res.body).toBe(200);
    const inBatch = await batch([
      { ...scanBody(await openLot(t, token), gateId, code), gateId: String(gateId) },
    ]);
    expect(inBatch.json().results[0]).toMatchObject({ ok: true });
    const other = await single({
      ...scanBody(await openLot(t, token), gateId, code),
      gateId: String(gateId + 1),
    });
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'GATE_MISMATCH']);
  });

  it('refuses a gateId that is no positive integer, in either form', async () => {
    const lotId = await openLot(t, token);
    for (const wrong of ['east', '07', '1.5', -1, 0, 1.5]) {
      const res = await single({ ...scanBody(lotId, gateId, code), gateId: wrong });
      expect([res.statusCode, res.json().error.code], String(wrong)).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('answers an unknown lot LOT_NOT_FOUND alone and in a batch', async () => {
    const alone = await single(scanBody('no-such-lot', gateId, code));
    expect([alone.statusCode, alone.json().error.code]).toEqual([404, 'LOT_NOT_FOUND']);
    expect(ErrorBody.safeParse(alone.json()).success).toBe(true);
    const inBatch = await batch([scanBody('no-such-lot', gateId, code)]);
    expect(inBatch.json().results[0]).toMatchObject({ ok: false, error: { code: 'LOT_NOT_FOUND' } });
  });

  it('documents gateId as an integer, with the older string form marked deprecated', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const body = doc.paths['/api/v1/scans'].post.requestBody.content['application/json'].schema;
    const forms = body.properties.gateId.anyOf as { type: string; description?: string }[];
    expect(forms.map((form) => form.type)).toEqual(['integer', 'string']);
    expect(forms[1]?.description).toMatch(/deprecated/);
  });
});
