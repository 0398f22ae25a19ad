import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus } from '../../src/http/error-code.ts';
import { problemOf } from '../../src/scan/scan.routes.ts';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

/** A code typed (or filmed) at the console, as `/gate` sends it: the client chooses the scanId. */
function typed(lotId: string, gateId: number, rawText: string, source = 'manual', scanId = randomUUID()) {
  const body = scanBody(lotId, gateId, rawText, { scanId });
  return { ...body, provenance: { ...body.provenance, source, decoder: 'console' } };
}

describe('gate staff judge a lot from the console', () => {
  let t: TestApp;
  let token: string;
  let east: number;
  let staff: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    east = t.demo!.gates.wholesaleEast;
    staff = await t.login('mawangdui_gate', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  const submit = (body: unknown, headers: Record<string, string>) =>
    t.inject({ method: 'POST', url: '/api/v1/scans', payload: body as object }, headers);

  it('judges a typed code against the lot, without a device, audited as the user, idempotent on scanId', async () => {
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 500 });
    const lotId = await openLot(t, token, { quantity: 40 });
    const body = typed(lotId, east, cert.text);
    const res = await submit(body, staff);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().verdict.outcome).toBe('accept');
    const scan = await t.prisma.scan.findUniqueOrThrow({ where: { id: body.scanId } });
    expect(scan).toMatchObject({ deviceId: null, source: 'manual', lotId, certificateId: cert.id });
    const audit = await t.prisma.auditLog.findFirstOrThrow({ where: { entityId: body.scanId } });
    expect(audit.actor).toBe('user:mawangdui_gate');
    const again = await submit(body, staff);
    expect(again.headers['x-lz-replayed']).toBe('1');
    expect(again.body).toBe(res.body);
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(40);
  });

  it('takes camera reads but not scanner sources from a session', async () => {
    const lotId = await openLot(t, token);
    expect((await submit(typed(lotId, east, 'HGZ-1', 'camera'), staff)).statusCode).toBe(200);
    const hid = await submit(typed(lotId, east, 'HGZ-2', 'hid'), staff);
    expect(hid.statusCode).toBe(400);
    expect(hid.json().error.issues[0].path).toBe('body.provenance.source');
  });

  it("refuses a gate outside the user's market with GATE_MISMATCH, and regulators altogether", async () => {
    const lotId = await openLot(t, token);
    const other = await t.login('tianyuan_gate', t.demo!.password);
    const res = await submit(typed(lotId, east, 'HGZ-3'), other);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('GATE_MISMATCH');
    const nowhere = await submit(typed(lotId, 999_999, 'HGZ-3'), staff);
    expect(nowhere.json().error.code).toBe('GATE_MISMATCH');
    const regulator = await t.login('changsha_regulator', t.demo!.password);
    expect((await submit(typed(lotId, east, 'HGZ-4'), regulator)).statusCode).toBe(403);
  });

  it('answers a closed lot with LOT_CLOSED (409) and a foreign gate from a device with GATE_MISMATCH (403)', async () => {
    const lotId = await openLot(t, token);
    const north = await t.prisma.gate.findFirstOrThrow({
      where: { marketId: t.demo!.markets.wholesale, id: { not: east } },
    });
    const wrongGate = await submit(scanBody(lotId, north.id, 'HGZ-5'), bearer(token));
    expect([wrongGate.statusCode, wrongGate.json().error.code]).toEqual([403, 'GATE_MISMATCH']);
    await t.prisma.lot.update({ where: { id: lotId }, data: { status: 'closed' } });
    const closed = await submit(typed(lotId, east, 'HGZ-6'), staff);
    expect([closed.statusCode, closed.json().error.code]).toEqual([409, 'LOT_CLOSED']);
  });

  it('maps every scan refusal to its own code and status', () => {
    const mapped = (['LOT_NOT_FOUND', 'GATE_MISMATCH', 'LOT_CLOSED', 'LEDGER_CONTENDED'] as const).map(
      (code) => {
        const problem = problemOf({ code, message: code });
        return [problem.code, problem.status];
      },
    );
    expect(mapped).toEqual([
      ['LOT_NOT_FOUND', 404],
      ['GATE_MISMATCH', 403],
      ['LOT_CLOSED', 409],
      ['LEDGER_CONTENDED', 503],
    ]);
    expect(errorStatus.CHANGED_CONCURRENTLY).toBe(409);
  });
});
