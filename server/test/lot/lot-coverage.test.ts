import { type CoverageCase, loadCoverageVectors } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

interface Judged {
  outcome: string;
  primary: { code: string } | null;
  coverage?: { covered: number } | null;
}

describe('lot coverage at the gate', () => {
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

  const scan = async (lotId: string, text: string) => {
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, text) },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { verdict: Judged; message: string; violationId: string | null };
  };
  const close = (lotId: string, auth = bearer(token)) =>
    t.inject({ method: 'POST', url: `/api/v1/lots/${lotId}/close`, payload: {} }, auth);

  /** Plays one shared case against the real server: real certificates, scans and closes over HTTP. */
  async function play(testCase: CoverageCase): Promise<Judged[]> {
    const codes: string[] = [];
    for (const certificate of testCase.certificates) {
      const issued = await issueTestCertificate(t, {
        issuerId: coop,
        quantity: certificate.quantity,
        unit: certificate.unit,
      });
      // What other lots already charged: the ledger as the scan path will read it. A certificate made partly
      // from unverified sources is flagged as a repack with one flags it, with the trust change agents receive.
      await t.prisma.certificate.update({
        where: { id: issued.id },
        data: {
          usedQuantity: certificate.usedElsewhere ?? 0,
          unverifiedSources: certificate.unverifiedSources ?? false,
        },
      });
      if (certificate.unverifiedSources) {
        await t.prisma.trustChange.create({
          data: { kind: 'unverified', ref: issued.id, at: t.clock.now() },
        });
        t.app.scanFlow.trust.invalidate();
      }
      codes.push(issued.text);
    }
    const { quantity, unit } = testCase.lot;
    const lotId = await openLot(t, token, { quantity, unit });
    const verdicts: Judged[] = [];
    for (const step of testCase.steps) {
      if ('scan' in step) {
        verdicts.push((await scan(lotId, codes[step.scan]!)).verdict);
      } else {
        const res = await close(lotId);
        expect(res.statusCode, res.body).toBe(200);
        verdicts.push(res.json().verdict);
      }
    }
    return verdicts;
  }

  describe('the shared cases', () => {
    for (const testCase of loadCoverageVectors()) {
      it(testCase.name, async () => {
        const verdicts = await play(testCase);
        verdicts.forEach((verdict, i) => {
          expect({
            step: i,
            outcome: verdict.outcome,
            primary: verdict.primary?.code ?? null,
            covered: verdict.coverage?.covered ?? null,
          }).toEqual({ step: i, ...testCase.steps[i]!.expect });
        });
      });
    }
  });

  it('accepts a 300 kg truck with three 100 kg certificates as one lot, with no violation', async () => {
    const lotId = await openLot(t, token, { quantity: 300 });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
      answers.push(await scan(lotId, cert.text));
    }
    expect(answers.map((a) => a.verdict.outcome)).toEqual(['pending', 'pending', 'accept']);
    expect(answers.map((a) => a.message)).toEqual([
      '已核 100/300 千克，继续扫码',
      '已核 200/300 千克，继续扫码',
      '查验通过',
    ]);
    expect(answers.every((a) => a.violationId === null)).toBe(true);
    expect(await t.prisma.violation.count({ where: { lotId } })).toBe(0);
    const lot = await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId }, include: { documents: true } });
    expect(lot).toMatchObject({ status: 'judged', outcome: 'accept' });
    expect(lot.documents.map((d) => d.quantityClaim)).toEqual([100, 100, 100]);
  });

  it('closes a short lot as INSUFFICIENT_COVERAGE with one violation, and takes no scan after', async () => {
    const lotId = await openLot(t, token, { quantity: 300 });
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    await scan(lotId, cert.text);
    const res = await close(lotId);
    expect(res.json()).toMatchObject({ status: 'closed', verdict: { outcome: 'reject' } });
    const violations = await t.prisma.violation.findMany({ where: { lotId } });
    expect(violations.map((v) => v.reason)).toEqual(['INSUFFICIENT_COVERAGE']);
    expect(res.json().violationId).toBe(violations[0]!.id);
    // The certificate was shown and its 100 kg went in with the lot: closing keeps the charge.
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(100);
    const again = await close(lotId);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LOT_CLOSED');
    const late = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, cert.text) },
      bearer(token),
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('LOT_CLOSED');
  });

  it('sweeps an overdue pending lot to INSUFFICIENT_COVERAGE and a never-scanned one to MISSING', async () => {
    const clock = t.clock as FixedClock;
    const short = await openLot(t, token, { quantity: 300 });
    await scan(short, (await issueTestCertificate(t, { issuerId: coop, quantity: 100 })).text);
    const idle = await openLot(t, token);
    expect(await t.app.scanFlow.sweep()).not.toContain(short);
    clock.advance(91 * 60_000); // the demo wholesale market allows 90 minutes
    const swept = await t.app.scanFlow.sweep();
    clock.advance(-91 * 60_000);
    expect(swept).toEqual(expect.arrayContaining([short, idle]));
    const reasons = async (lotId: string) =>
      (await t.prisma.violation.findMany({ where: { lotId } })).map((v) => v.reason);
    expect(await reasons(short)).toEqual(['INSUFFICIENT_COVERAGE']);
    expect(await reasons(idle)).toEqual(['MISSING']);
  });

  it('lets only the lot’s own market close it, and only gate staff or devices', async () => {
    const lotId = await openLot(t, token);
    const otherMarket = await t.login('tianyuan_admin', t.demo!.password);
    expect((await close(lotId, otherMarket)).statusCode).toBe(404);
    const regulator = await t.login('changsha_regulator', t.demo!.password);
    expect((await close(lotId, regulator)).statusCode).toBe(403);
    expect(await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId } })).toMatchObject({ status: 'open' });
  });
});
