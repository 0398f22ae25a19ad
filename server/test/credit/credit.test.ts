import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, TEST_ADMIN_PASSWORD, TEST_NOW, type TestApp } from '../helper.ts';
import { arrivedLot, clockOf, tinyPngBase64 } from '../rapid-test/rapid-test-fixture.ts';

const hour = 60 * 60 * 1000;
let t: TestApp;
let admin: Record<string, string>;
let regulator: Record<string, string>;
let staff: Record<string, string>;
let farmUser: Record<string, string>;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  const demo = t.demo!;
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  regulator = await t.login(demo.users.regulator, demo.password);
  staff = await t.login(demo.users.gate_staff, demo.password);
  farmUser = await t.login('jinyang_farm', demo.password);
}, 120_000);
afterEach(() => clockOf(t).set(TEST_NOW));
afterAll(async () => t?.close());

const post = (url: string, payload: object, headers: Record<string, string>) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, payload }, headers);
const historyOf = async (issuerId: number, headers = admin) =>
  (await t.inject({ method: 'GET', url: `/api/v1/issuers/${issuerId}/credit` }, headers)).json();

/** Recomputation runs after the event's write: wait for the row it adds. */
async function gradeRowFor(issuerId: number, trigger: string) {
  return vi.waitFor(
    async () => {
      const row = await t.prisma.creditGrade.findFirst({
        where: { issuerId, trigger },
        orderBy: { id: 'desc' },
      });
      if (!row) throw new Error(`no grade row for ${trigger} yet`);
      return row;
    },
    { timeout: 5000, interval: 50 },
  );
}

/** A violation on a lot that carried one of the issuer's certificates, as the gate would open it. */
async function violationOn(issuerId: number, reason: string) {
  const { lotId } = await arrivedLot(t, { issuerId });
  const id = randomUUID();
  await t.prisma.violation.create({
    data: { id, lotId, marketId: t.demo!.markets.wholesale, regionCode: '430102', reason, status: 'open' },
  });
  return id;
}

describe('credit recomputation on events', () => {
  it('confirming a re-use violation recomputes the producer’s grade, with the re-use rule counted', async () => {
    const eggs = t.demo!.issuers.eggs;
    const id = await violationOn(eggs, 'QUANTITY_EXCEEDED');
    expect((await post(`/violations/${id}/transition`, { to: 'reviewing' }, regulator)).statusCode).toBe(200);
    // the queue coalesces moves that come together: let it record the pending one first
    await gradeRowFor(eggs, `violation:${id}`);
    expect((await post(`/violations/${id}/transition`, { to: 'confirmed' }, regulator)).statusCode).toBe(200);
    await vi.waitFor(async () => {
      const latest = (await historyOf(eggs)).current;
      expect(latest.rules.find((r: { rule: string }) => r.rule === 'reuse')).toMatchObject({
        count: 1,
        points: -15,
      });
    });
    const history = await historyOf(eggs);
    expect(history.current).toMatchObject({
      source: 'computed',
      trigger: `violation:${id}`,
      grade: 'C',
    });
    // the pending row of the first move stays in the history
    expect(history.history.length).toBeGreaterThanOrEqual(2);
    expect((await t.prisma.issuer.findUniqueOrThrow({ where: { id: eggs } })).creditGrade).toBe('C');
  });

  it('a rapid-test positive confirmed when its window ends recomputes the grade with the positive counted', async () => {
    const farm = t.demo!.issuers.farm;
    const { lotId } = await arrivedLot(t, { issuerId: farm });
    const test = await post(
      '/rapid-tests',
      {
        lotId,
        method: 'enzyme_inhibition',
        analyte: '有机磷',
        sampleCount: 5,
        result: 'positive',
        testerName: '李检测',
        photo: tinyPngBase64(),
      },
      staff,
    );
    expect(test.statusCode, test.body).toBe(200);
    clockOf(t).advance(4 * hour);
    const decided = await post(`/rapid-tests/${test.json().id}/decision`, { decision: 'destroyed' }, staff);
    expect(decided.statusCode, decided.body).toBe(200);
    // recording the positive already recomputed (it counts only once confirmed): wait for the confirmation's row
    await vi.waitFor(
      async () => {
        const row = await gradeRowFor(farm, `rapid-test:${test.json().id}`);
        const rules = JSON.parse(row.inputs).rules as { rule: string; count: number }[];
        expect(rules.find((r) => r.rule === 'confirmed_positives')?.count).toBe(1);
      },
      { timeout: 8000, interval: 100 },
    );
  });

  it('a recall of a producer’s certificates recomputes its grade with the recall counted', async () => {
    const coop = t.demo!.issuers.coop;
    const recall = await post(
      '/recalls',
      {
        issuerId: coop,
        issuedFrom: '2026-01-01T00:00:00+08:00',
        issuedTo: '2026-12-31T00:00:00+08:00',
        reason: '抽检不合格，召回',
      },
      regulator,
    );
    expect(recall.statusCode, recall.body).toBe(201);
    const row = await gradeRowFor(coop, `recall:${recall.json().id}`);
    const rules = JSON.parse(row.inputs).rules as { rule: string; count: number }[];
    expect(rules.find((r) => r.rule === 'recalls')?.count).toBe(1);
  });
});

describe('credit overrides and reading', () => {
  it('an override without a reason is 400 CREDIT_OVERRIDE_REASON_REQUIRED and changes nothing', async () => {
    const coop = t.demo!.issuers.coop;
    const before = await t.prisma.creditGrade.count({ where: { issuerId: coop } });
    const res = await post(`/issuers/${coop}/credit/override`, { grade: 'A', reason: '  ' }, admin);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CREDIT_OVERRIDE_REASON_REQUIRED');
    expect(await t.prisma.creditGrade.count({ where: { issuerId: coop } })).toBe(before);
  });

  it('an override with a reason sets the grade, joins the history and the audit chain', async () => {
    const repacker = t.demo!.issuers.repacker;
    const res = await post(
      `/issuers/${repacker}/credit/override`,
      { grade: 'D', reason: '现场检查发现伪造' },
      admin,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ grade: 'D', source: 'override', reason: '现场检查发现伪造' });
    expect((await t.prisma.issuer.findUniqueOrThrow({ where: { id: repacker } })).creditGrade).toBe('D');
    const audit = await t.prisma.auditLog.findFirst({
      where: { action: 'credit.override', entityId: String(repacker) },
    });
    expect(JSON.parse(audit?.data ?? '{}')).toMatchObject({ to: 'D', reason: '现场检查发现伪造' });
  });

  it('the registry edit no longer sets a grade without a reason: 400 CREDIT_OVERRIDE_REASON_REQUIRED', async () => {
    const coop = t.demo!.issuers.coop;
    const res = await t.inject(
      { method: 'PATCH', url: `/api/v1/issuers/${coop}`, payload: { creditGrade: 'A' } },
      admin,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CREDIT_OVERRIDE_REASON_REQUIRED');
  });

  it('only administrators override', async () => {
    const res = await post(
      `/issuers/${t.demo!.issuers.coop}/credit/override`,
      { grade: 'A', reason: '好' },
      regulator,
    );
    expect(res.statusCode).toBe(403);
  });

  it('a producer reads its own history and not another producer’s', async () => {
    const demo = t.demo!;
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/issuers/${demo.issuers.farm}/credit` }, farmUser))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/issuers/${demo.issuers.coop}/credit` }, farmUser))
        .statusCode,
    ).toBe(404);
  });

  it('the batch recomputation grades every active producer', async () => {
    const res = await post('/credit/recompute', {}, admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().recomputed).toBe(await t.prisma.issuer.count({ where: { active: true } }));
    const noRecord = await historyOf(t.demo!.issuers.repacker);
    expect(noRecord.current.source).toBe('computed');
  });
});
