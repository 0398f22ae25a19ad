import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { buildTestApp, TEST_NOW, type TestApp } from '../helper.ts';
import { arrivedLot, clockOf, tinyPngBase64 } from '../rapid-test/rapid-test-fixture.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

/**
 * The credit queue (docs/credit.md): the gate's own violations, which raise no app event, and a restart that
 * comes after a write its last process never recomputed, still move the producer's grade, with the history kept.
 */

/** The queue looks after the write: wait for the history row it adds. */
function gradeRowFor(t: TestApp, issuerId: number, trigger: string) {
  return vi.waitFor(
    async () => {
      const row = await t.prisma.creditGrade.findFirst({
        where: { issuerId, trigger },
        orderBy: { id: 'desc' },
      });
      if (!row) throw new Error(`no grade row for ${trigger} yet`);
      return row;
    },
    { timeout: 8000, interval: 50 },
  );
}

const ruleOf = (row: { inputs: string }, rule: string) =>
  (JSON.parse(row.inputs).rules as { rule: string; count: number; points: number }[]).find(
    (r) => r.rule === rule,
  );

describe('credit recomputation of the gate’s violations', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
  }, 120_000);
  afterAll(async () => t?.close());

  const scan = async (lotId: string, text: string) => {
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, text) },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { verdict: { outcome: string }; violationId: string | null };
  };

  it('a re-use the gate rejects at scan time recomputes the producer’s grade, counting it pending', async () => {
    const coop = t.demo!.issuers.coop;
    const certificate = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    expect((await scan(await openLot(t, token, { quantity: 100 }), certificate.text)).verdict.outcome).toBe(
      'accept',
    );
    const reuse = await scan(await openLot(t, token, { quantity: 100 }), certificate.text);
    expect(reuse.verdict.outcome).toBe('reject');
    const row = await gradeRowFor(t, coop, `violation:${reuse.violationId}`);
    expect(row).toMatchObject({ source: 'computed', actor: 'system:credit' });
    expect(ruleOf(row, 'pending')?.count).toBeGreaterThanOrEqual(1);
    const issuer = await t.prisma.issuer.findUniqueOrThrow({ where: { id: coop } });
    expect(issuer.creditGrade).toBe(row.grade);
  });

  it('a lot the sweep closes short of its quantity recomputes the producer’s grade', async () => {
    const farm = t.demo!.issuers.farm;
    const short = await openLot(t, token, { quantity: 300 });
    await scan(short, (await issueTestCertificate(t, { issuerId: farm, quantity: 100 })).text);
    const before = await t.prisma.creditGrade.count({ where: { issuerId: farm } });
    clockOf(t).advance(91 * 60_000); // the demo wholesale market allows 90 minutes
    try {
      expect(await t.app.scanFlow.sweep()).toContain(short);
    } finally {
      clockOf(t).set(TEST_NOW);
    }
    const violation = await t.prisma.violation.findFirstOrThrow({ where: { lotId: short } });
    expect(violation.reason).toBe('INSUFFICIENT_COVERAGE');
    const row = await gradeRowFor(t, farm, `violation:${violation.id}`);
    expect(ruleOf(row, 'pending')?.count).toBeGreaterThanOrEqual(1);
    // the history keeps the rows before it
    expect(await t.prisma.creditGrade.count({ where: { issuerId: farm } })).toBe(before + 1);
  });

  it('a negative rapid test recorded recomputes the grade with the test counted', async () => {
    const eggs = t.demo!.issuers.eggs;
    const staff = await t.login(t.demo!.users.gate_staff, t.demo!.password);
    const { lotId } = await arrivedLot(t, { issuerId: eggs });
    const test = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/rapid-tests',
        payload: {
          lotId,
          method: 'colloidal_gold',
          analyte: '氯霉素',
          sampleCount: 3,
          result: 'negative',
          testerName: '王检测',
          photo: tinyPngBase64(),
        },
      },
      staff,
    );
    expect(test.statusCode, test.body).toBe(200);
    const row = await gradeRowFor(t, eggs, `rapid-test:${test.json().id}`);
    expect(ruleOf(row, 'negative_tests')?.count).toBeGreaterThanOrEqual(1);
  });
});

describe('credit recomputation across a restart', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
  }, 120_000);
  afterAll(async () => t?.close());

  it('a violation committed by a process that stopped before recomputing is recomputed when the next starts', async () => {
    const coop = t.demo!.issuers.coop;
    const { lotId } = await arrivedLot(t, { issuerId: coop });
    await t.app.close();
    // What the gate writes in one commit, with no server left to look at it.
    const violationId = randomUUID();
    await t.prisma.violation.create({
      data: {
        id: violationId,
        lotId,
        marketId: t.demo!.markets.wholesale,
        regionCode: '430102',
        reason: 'QUANTITY_EXCEEDED',
        status: 'open',
        createdAt: t.clock.now(),
        events: { create: { type: 'created', toStatus: 'open', at: t.clock.now() } },
      },
    });
    expect(await t.prisma.creditGrade.count({ where: { trigger: `violation:${violationId}` } })).toBe(0);
    const restarted = await buildApp({
      prisma: t.prisma,
      config: t.config,
      clock: t.clock,
      keyring: t.keyring,
    });
    try {
      await restarted.ready();
      const row = await gradeRowFor(t, coop, `violation:${violationId}`);
      expect(ruleOf(row, 'pending')?.count).toBe(1);
    } finally {
      await restarted.close();
    }
  });
});
