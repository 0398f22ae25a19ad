import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

describe('scans', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;
  let coop: number;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
    coop = t.demo!.issuers.coop;
  }, 60_000);
  afterAll(async () => t?.close());

  const submit = (body: unknown) =>
    t.inject({ method: 'POST', url: '/api/v1/scans', payload: body as object }, bearer(token));

  it('accepts a valid certificate for a matching lot and charges the ledger', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 500 });
    const lotId = await openLot(t, token, { quantity: 120 });
    const res = await submit(scanBody(lotId, gateId, cert.text));
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer.verdict.outcome).toBe('accept');
    expect(answer.conflict).toBe(false);
    const stored = await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } });
    expect(stored.usedQuantity).toBe(120);
    const lot = await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId } });
    expect(lot.outcome).toBe('accept');
  });

  it('replays the first answer byte for byte when a scan is sent again', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop });
    const lotId = await openLot(t, token);
    const body = scanBody(lotId, gateId, cert.text);
    const first = await submit(body);
    const again = await submit(body);
    expect(first.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    expect(again.headers['x-lz-replayed']).toBe('1');
    expect(await t.prisma.scan.count({ where: { id: body.scanId } })).toBe(1);
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(100);
  });

  it('rejects a certificate presented again after it is used up (re-use) and opens a violation', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    const first = await submit(scanBody(await openLot(t, token, { quantity: 100 }), gateId, cert.text));
    expect(first.json().verdict.outcome).toBe('accept');
    const lotId = await openLot(t, token, { quantity: 100 });
    const res = await submit(scanBody(lotId, gateId, cert.text));
    const answer = res.json();
    expect(answer.verdict.outcome).toBe('reject');
    expect(answer.verdict.reasons.map((r: { code: string }) => r.code)).toContain('QUANTITY_EXCEEDED');
    expect(answer.violationId).toEqual(expect.any(String));
    const violation = await t.prisma.violation.findUniqueOrThrow({ where: { id: answer.violationId } });
    expect(violation).toMatchObject({
      lotId,
      status: 'open',
      reason: 'QUANTITY_EXCEEDED',
      regionCode: '430102',
    });
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(100);
  });

  it('keeps a lot only partly covered open and pending, charging what it covers and opening no violation', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 150 });
    await submit(scanBody(await openLot(t, token, { quantity: 100 }), gateId, cert.text));
    const lotId = await openLot(t, token, { quantity: 100 });
    const answer = (await submit(scanBody(lotId, gateId, cert.text))).json();
    expect(answer.verdict).toMatchObject({
      outcome: 'pending',
      coverage: { covered: 50, declared: 100, unit: 'kg' },
    });
    expect(answer.message).toBe('已核 50/100 千克，继续扫码');
    expect(answer.violationId).toBeNull();
    expect(await t.prisma.violation.count({ where: { lotId } })).toBe(0);
    expect(await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId } })).toMatchObject({
      status: 'open',
      outcome: 'pending',
      judgedAt: null,
    });
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(150);
  });

  it('flags an offline provisional accept the server rejects as a conflict, and keeps it', async () => {
    const lotId = await openLot(t, token);
    const res = await submit(
      scanBody(lotId, gateId, 'HTTPS://LZ.DEMO.CN/V/LZ1GARBAGE', {
        provisional: { outcome: 'accept', reasons: [], snapshotVersion: 1 },
      }),
    );
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer.conflict).toBe(true);
    expect(answer.provisionalOutcome).toBe('accept');
    expect(answer.verdict.outcome).not.toBe('accept');
    const scan = await t.prisma.scan.findUniqueOrThrow({ where: { id: answer.scanId } });
    expect(scan).toMatchObject({ conflict: true, provisional: true, provisionalOutcome: 'accept' });
    const events = t.app.scanFlow.live;
    expect(events).toBeDefined();
  });

  it('refuses a void certificate at once, before the snapshot is rebuilt', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop });
    await t.app.scanFlow.trust.current();
    await t.prisma.certificate.update({
      where: { id: cert.id },
      data: { status: 'void', voidReason: 'test' },
    });
    const res = await submit(scanBody(await openLot(t, token), gateId, cert.text));
    expect(res.json().verdict.reasons.map((r: { code: string }) => r.code)).toContain('REVOKED');
  });

  it('answers a scan for an unknown lot with 404 and a code, storing nothing', async () => {
    const body = scanBody('no-such-lot', gateId, 'HTTPS://LZ.DEMO.CN/V/LZ1ABC');
    const res = await submit(body);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('LOT_NOT_FOUND');
    expect(await t.prisma.scan.count({ where: { id: body.scanId } })).toBe(0);
  });

  it('refuses a scan without a device token', async () => {
    const lotId = await openLot(t, token);
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/scans',
      payload: scanBody(lotId, gateId, 'X'),
    });
    expect(res.statusCode).toBe(401);
  });

  it('refuses unknown fields with 400', async () => {
    const lotId = await openLot(t, token);
    const res = await submit({ ...scanBody(lotId, gateId, 'X'), extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('writes one audit row per stored scan, chained with the rest of the log', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop });
    for (let i = 0; i < 3; i++) await submit(scanBody(await openLot(t, token), gateId, cert.text));
    const scans = await t.prisma.scan.count();
    expect(await t.prisma.auditLog.count({ where: { action: 'scan.judged' } })).toBe(scans);
    const check = await verifyAuditChain(t.prisma);
    expect(check.ok).toBe(true);
  });
});
