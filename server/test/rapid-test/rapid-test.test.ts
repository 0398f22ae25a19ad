import { randomBytes, randomUUID } from 'node:crypto';
import type { RapidTestView } from '@liangzheng/domain';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { confirmLapsedPositives } from '../../src/rapid-test/rapid-test-service.ts';
import { buildTestApp, listenOnLoopback, TEST_NOW, type TestApp } from '../helper.ts';
import { connect, nextEvent } from '../live/socket-client.ts';
import { arrivedLot, clockOf, tinyPngBase64, unstockedLot } from './rapid-test-fixture.ts';

const hour = 60 * 60 * 1000;
let t: TestApp;
let staff: Record<string, string>;
let otherStaff: Record<string, string>;
let regulator: Record<string, string>;

async function logIn() {
  const demo = t.demo!;
  staff = await t.login(demo.users.gate_staff, demo.password);
  otherStaff = await t.login(demo.users.otherMarketAdmin, demo.password);
  regulator = await t.login(demo.users.regulator, demo.password);
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  await logIn();
}, 120_000);
// Tests move the clock past retest windows; each starts again at TEST_NOW, where the sessions are still valid.
afterEach(() => clockOf(t).set(TEST_NOW));
afterAll(async () => t?.close());

const sample = (
  target: { lotId?: string; inventoryItemId?: string },
  over: Record<string, unknown> = {},
) => ({
  ...target,
  method: 'enzyme_inhibition',
  analyte: '有机磷和氨基甲酸酯类农药',
  sampleCount: 5,
  result: 'positive',
  testerName: '李检测',
  photo: tinyPngBase64(),
  ...over,
});

const post = (url: string, payload: object, headers = staff) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, payload }, headers);

async function positiveOf(lotId: string): Promise<RapidTestView> {
  const res = await post('/rapid-tests', sample({ lotId }));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const heldOf = async (...ids: string[]) =>
  (await t.prisma.inventoryItem.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } })).map(
    (i) => i.held,
  );
/** A repack certificate made from `parentId`, so a recall of the parent must reach it. */
async function repackOf(parentId: string): Promise<string> {
  const parent = await t.prisma.certificate.findUniqueOrThrow({ where: { id: parentId } });
  const id = randomBytes(8).toString('hex');
  await t.prisma.certificate.create({
    data: { ...parent, id, kind: 'repack', code: `${parent.code}#${id}`, createdAt: t.clock.now() },
  });
  await t.prisma.certificateParent.create({ data: { childId: id, parentId, quantity: 10 } });
  return id;
}
const statusOf = async (certificateId: string) =>
  (await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificateId } })).status;

describe('recording a rapid test', () => {
  it('a negative holds nothing and opens no window', async () => {
    const lot = await arrivedLot(t);
    const res = await post('/rapid-tests', sample({ lotId: lot.lotId }, { result: 'negative' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ result: 'negative', stage: null, retestBy: null, hasPhoto: true });
    expect(await heldOf(lot.stallItem, lot.marketItem)).toEqual([false, false]);
  });

  it('a positive holds the lot and every inventory item of it, and opens a 4-hour retest window', async () => {
    const lot = await arrivedLot(t);
    const test = await positiveOf(lot.lotId);
    expect(test).toMatchObject({
      stage: 'awaiting_retest',
      stallId: t.demo!.stalls.a01,
      testerName: '李检测',
    });
    expect(new Date(test.retestBy!).getTime() - t.clock.now().getTime()).toBe(4 * hour);
    expect(await heldOf(lot.stallItem, lot.marketItem)).toEqual([true, true]);
    const held = await t.inject(
      { method: 'GET', url: `/api/v1/rapid-tests?marketId=${t.demo!.markets.wholesale}&held=true` },
      staff,
    );
    expect(held.json().map((r: RapidTestView) => r.id)).toContain(test.id);
  });

  it('a sample from a stall inventory item names the item and its stall, and holds the lot', async () => {
    const lot = await arrivedLot(t);
    const res = await post(
      '/rapid-tests',
      sample({ inventoryItemId: lot.stallItem }, { method: 'colloidal_gold' }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      lotId: lot.lotId,
      inventoryItemId: lot.stallItem,
      stallId: t.demo!.stalls.a01,
    });
    expect(await heldOf(lot.stallItem, lot.marketItem)).toEqual([true, true]);
  });

  it('a stall item made by a repack has no lot to hold: 400 INVALID_REFERENCE', async () => {
    const lot = await arrivedLot(t);
    await t.prisma.inventoryItem.create({
      data: {
        id: `out:${lot.certificateId}`,
        marketId: t.demo!.markets.wholesale,
        stallId: t.demo!.stalls.a01,
        certificateId: lot.certificateId,
        received: 5,
        unit: 'kg',
        receivedAt: t.clock.now(),
      },
    });
    const res = await post('/rapid-tests', sample({ inventoryItemId: `out:${lot.certificateId}` }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_REFERENCE');
  });

  it('refuses naming both or neither of lot and item, and a photo that is not a JPEG, PNG or WebP (400)', async () => {
    const lot = await arrivedLot(t);
    for (const body of [
      sample({ lotId: lot.lotId, inventoryItemId: lot.stallItem }),
      sample({}),
      sample({ lotId: lot.lotId }, { photo: Buffer.from('GIF89a not a strip').toString('base64') }),
      sample({ lotId: lot.lotId }, { method: 'guesswork' }),
    ]) {
      const res = await post('/rapid-tests', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.prisma.rapidTest.count({ where: { lotId: lot.lotId } })).toBe(0);
  });

  it("another market's staff cannot find the lot (404), and a regulator reads but does not record (403)", async () => {
    const lot = await arrivedLot(t);
    expect((await post('/rapid-tests', sample({ lotId: lot.lotId }), otherStaff)).statusCode).toBe(404);
    expect((await post('/rapid-tests', sample({ lotId: lot.lotId }), regulator)).statusCode).toBe(403);
    expect(await t.prisma.rapidTest.count({ where: { lotId: lot.lotId } })).toBe(0);
  });
});

describe('inventory made after the hold', () => {
  it("a positive makes the stall's inventory of the lot first, so the hold reaches goods not yet stocked", async () => {
    const lot = await unstockedLot(t);
    const test = await positiveOf(lot.lotId);
    expect(await heldOf(lot.itemId)).toEqual([true]);
    expect(test.stage).toBe('awaiting_retest');
  });

  it('inventory custody makes later from a held lot starts held, and from a released one does not', async () => {
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    const inventory = () =>
      t.inject({ method: 'GET', url: `/api/v1/stalls/${t.demo!.stalls.a01}/inventory` }, vendor);
    const held = await unstockedLot(t);
    const released = await unstockedLot(t);
    for (const [lot, decision] of [
      [held, null],
      [released, 'released'],
    ] as const) {
      await t.prisma.rapidTest.create({
        data: {
          id: randomUUID(),
          lotId: lot.lotId,
          method: 'colloidal_gold',
          analyte: '克伦特罗',
          sampleCount: 3,
          result: 'positive',
          testedAt: t.clock.now(),
          retestBy: new Date(t.clock.now().getTime() + 4 * hour),
          decision,
        },
      });
    }
    expect((await inventory()).statusCode).toBe(200);
    expect(await heldOf(held.itemId, released.itemId)).toEqual(
      held.itemId < released.itemId ? [true, false] : [false, true],
    );
  });
});

describe('the retest', () => {
  it('retest_with_a_rapid_method_is_400_RETEST_METHOD_NOT_ALLOWED and records nothing', async () => {
    const test = await positiveOf((await arrivedLot(t)).lotId);
    for (const method of ['enzyme_inhibition', 'colloidal_gold']) {
      const res = await post(`/rapid-tests/${test.id}/retest`, {
        method,
        result: 'negative',
        testerName: '王化验',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('RETEST_METHOD_NOT_ALLOWED');
    }
    expect(await t.prisma.rapidTest.count({ where: { retestOfId: test.id } })).toBe(0);
  });

  it('retest_after_the_window_is_409_RETEST_WINDOW_CLOSED', async () => {
    const test = await positiveOf((await arrivedLot(t)).lotId);
    clockOf(t).advance(4 * hour);
    const res = await post(`/rapid-tests/${test.id}/retest`, {
      method: 'lab',
      result: 'negative',
      testerName: '王化验',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('RETEST_WINDOW_CLOSED');
  });

  it('a_second_retest_is_409_RETEST_ALREADY_RECORDED', async () => {
    const test = await positiveOf((await arrivedLot(t)).lotId);
    const retest = { method: 'lab', result: 'negative', testerName: '王化验' };
    expect((await post(`/rapid-tests/${test.id}/retest`, retest)).statusCode).toBe(200);
    const again = await post(`/rapid-tests/${test.id}/retest`, retest);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('RETEST_ALREADY_RECORDED');
  });

  it('retest_of_a_negative_is_409_RAPID_TEST_NOT_POSITIVE', async () => {
    const lot = await arrivedLot(t);
    const negative = (
      await post('/rapid-tests', sample({ lotId: lot.lotId }, { result: 'negative' }))
    ).json();
    const res = await post(`/rapid-tests/${negative.id}/retest`, {
      method: 'lab',
      result: 'negative',
      testerName: '王',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('RAPID_TEST_NOT_POSITIVE');
  });
});

describe('the decision', () => {
  it('decision_before_the_window_ends_without_a_retest_is_409_DECISION_BEFORE_WINDOW_ENDS', async () => {
    const lot = await arrivedLot(t);
    const test = await positiveOf(lot.lotId);
    clockOf(t).advance(4 * hour - 1);
    const res = await post(`/rapid-tests/${test.id}/decision`, { decision: 'destroyed' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DECISION_BEFORE_WINDOW_ENDS');
    expect(await heldOf(lot.stallItem, lot.marketItem)).toEqual([true, true]);
  });

  it('a negative retest clears the goods: only release is allowed, and it lifts the hold', async () => {
    const lot = await arrivedLot(t);
    const test = await positiveOf(lot.lotId);
    const retest = await post(`/rapid-tests/${test.id}/retest`, {
      method: 'lab',
      result: 'negative',
      testerName: '王化验',
    });
    expect(retest.json()).toMatchObject({ stage: 'cleared', retest: { method: 'lab', result: 'negative' } });
    const destroy = await post(`/rapid-tests/${test.id}/decision`, { decision: 'destroyed' });
    expect(destroy.statusCode).toBe(409);
    expect(destroy.json().error.code).toBe('DECISION_NOT_ALLOWED');
    const release = await post(`/rapid-tests/${test.id}/decision`, {
      decision: 'released',
      note: '复检合格',
    });
    expect(release.json()).toMatchObject({ stage: 'decided', decision: 'released', violationId: null });
    expect(await heldOf(lot.stallItem, lot.marketItem)).toEqual([false, false]);
    expect(await statusOf(lot.certificateId)).toBe('valid');
  });

  it('a positive retest confirms: the certificate and its repacks are recalled, a violation opens, release is refused', async () => {
    const lot = await arrivedLot(t);
    const repack = await repackOf(lot.certificateId);
    const test = await positiveOf(lot.lotId);
    const retest = await post(`/rapid-tests/${test.id}/retest`, {
      method: 'lab',
      result: 'positive',
      testerName: '王化验',
    });
    expect(retest.json()).toMatchObject({ stage: 'confirmed' });
    expect(retest.json().voidedCertificates.sort()).toEqual([lot.certificateId, repack].sort());
    expect(await statusOf(lot.certificateId)).toBe('void');
    expect(await statusOf(repack)).toBe('void');
    const recalled = await t.prisma.recall.findFirstOrThrow({ where: { certificateId: lot.certificateId } });
    expect(recalled.reason).toContain('快检阳性');
    expect(await t.prisma.certificate.findUniqueOrThrow({ where: { id: repack } })).toMatchObject({
      voidKind: 'recall',
      recallId: recalled.id,
    });
    const violation = await t.prisma.violation.findUniqueOrThrow({
      where: { id: retest.json().violationId },
    });
    expect(violation).toMatchObject({ lotId: lot.lotId, reason: 'RAPID_TEST_POSITIVE', status: 'open' });
    expect(await t.prisma.trustChange.count({ where: { kind: 'revocation', ref: lot.certificateId } })).toBe(
      1,
    );
    const release = await post(`/rapid-tests/${test.id}/decision`, { decision: 'released' });
    expect(release.json().error.code).toBe('DECISION_NOT_ALLOWED');
    const destroy = await post(`/rapid-tests/${test.id}/decision`, {
      decision: 'destroyed',
      note: '监督销毁',
    });
    expect(destroy.json()).toMatchObject({ stage: 'decided', decision: 'destroyed' });
    expect(await heldOf(lot.stallItem, lot.marketItem)).toEqual([true, true]);
  });

  it('a window that ends without a retest confirms the positive when the decision is recorded', async () => {
    const lot = await arrivedLot(t);
    const test = await positiveOf(lot.lotId);
    clockOf(t).advance(4 * hour);
    const res = await post(`/rapid-tests/${test.id}/decision`, { decision: 'returned' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ decision: 'returned', voidedCertificates: [lot.certificateId] });
    expect(await statusOf(lot.certificateId)).toBe('void');
    expect(
      await t.prisma.violation.count({ where: { lotId: lot.lotId, reason: 'RAPID_TEST_POSITIVE' } }),
    ).toBe(1);
  });

  it('a_second_decision_is_409_ALREADY_DECIDED', async () => {
    const test = await positiveOf((await arrivedLot(t)).lotId);
    clockOf(t).advance(4 * hour);
    expect((await post(`/rapid-tests/${test.id}/decision`, { decision: 'destroyed' })).statusCode).toBe(200);
    const again = await post(`/rapid-tests/${test.id}/decision`, { decision: 'returned' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_DECIDED');
  });
});

describe('the window sweep', () => {
  const sweepDeps = () => ({
    db: t.app.prisma,
    clock: t.clock,
    audit: t.app.audit,
    live: t.app.scanFlow.live,
    events: t.app.events,
    dialect: t.app.dialect,
    timeZone: t.config.timeZone,
  });

  it('confirms a positive whose window ran out without a retest: recalled at once, decided later without a second recall', async () => {
    const lot = await arrivedLot(t);
    const test = await positiveOf(lot.lotId);
    const cleared = await positiveOf((await arrivedLot(t)).lotId);
    await post(`/rapid-tests/${cleared.id}/retest`, {
      method: 'lab',
      result: 'negative',
      testerName: '王化验',
    });
    clockOf(t).advance(4 * hour - 1);
    expect(await confirmLapsedPositives(sweepDeps())).not.toContain(test.id);
    clockOf(t).advance(1);
    const confirmed = await confirmLapsedPositives(sweepDeps());
    expect(confirmed).toContain(test.id);
    expect(confirmed).not.toContain(cleared.id);
    expect(await statusOf(lot.certificateId)).toBe('void');
    expect(await confirmLapsedPositives(sweepDeps())).not.toContain(test.id);
    const decided = await post(`/rapid-tests/${test.id}/decision`, { decision: 'destroyed' });
    expect(decided.json()).toMatchObject({ decision: 'destroyed', voidedCertificates: [lot.certificateId] });
    expect(await t.prisma.recall.count({ where: { certificateId: lot.certificateId } })).toBe(1);
    expect(await t.prisma.violation.count({ where: { lotId: lot.lotId } })).toBe(1);
  });
});

describe('concurrent writes', () => {
  it('of six retests sent at once, one is recorded and the others are 409 RETEST_ALREADY_RECORDED', async () => {
    const test = await positiveOf((await arrivedLot(t)).lotId);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        post(`/rapid-tests/${test.id}/retest`, { method: 'lab', result: 'positive', testerName: '王化验' }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().error.code)).toEqual(
      Array(5).fill('RETEST_ALREADY_RECORDED'),
    );
    expect(await t.prisma.rapidTest.count({ where: { retestOfId: test.id } })).toBe(1);
    expect(await t.prisma.violation.count({ where: { lotId: test.lotId } })).toBe(1);
  });

  it('of six decisions after a lapsed window, one confirms and decides; one recall, one violation', async () => {
    const lot = await arrivedLot(t);
    const test = await positiveOf(lot.lotId);
    clockOf(t).advance(4 * hour);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(`/rapid-tests/${test.id}/decision`, { decision: 'destroyed' })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(await t.prisma.recall.count({ where: { certificateId: lot.certificateId } })).toBe(1);
    expect(await t.prisma.violation.count({ where: { lotId: lot.lotId } })).toBe(1);
  });
});

describe('alerts and posting', () => {
  it("a positive alerts the lot's gate, the market's staff and the region's regulators live", async () => {
    const base = await listenOnLoopback(t);
    const gate = await connect(base, { cookie: staff.cookie! });
    const market = await connect(base, { cookie: staff.cookie! });
    const region = await connect(base, { cookie: regulator.cookie! });
    try {
      expect(
        await gate.emitWithAck('watch', { room: { kind: 'gate', gateId: t.demo!.gates.wholesaleEast } }),
      ).toMatchObject({ ok: true });
      expect(
        await market.emitWithAck('watch', { room: { kind: 'market', marketId: t.demo!.markets.wholesale } }),
      ).toMatchObject({ ok: true });
      expect(await region.emitWithAck('watch', { room: { kind: 'region', prefix: '4301' } })).toMatchObject({
        ok: true,
      });
      const lot = await arrivedLot(t);
      const atGate = nextEvent<{ lotId: string }>(gate, 'rapid-test:positive', (e) => e.lotId === lot.lotId);
      const forStaff = nextEvent<{ lotId: string }>(
        market,
        'rapid-test:positive',
        (e) => e.lotId === lot.lotId,
      );
      const forRegulator = nextEvent<{ lotId: string }>(
        region,
        'rapid-test:positive',
        (e) => e.lotId === lot.lotId,
      );
      const test = await positiveOf(lot.lotId);
      expect(await atGate).toMatchObject({ rapidTestId: test.id, stallId: t.demo!.stalls.a01 });
      expect(await forStaff).toMatchObject({
        rapidTestId: test.id,
        regionCode: '430102',
        retestBy: test.retestBy,
      });
      expect(await forRegulator).toMatchObject({
        rapidTestId: test.id,
        heldItems: [lot.stallItem, lot.marketItem].sort(),
      });
    } finally {
      gate.close();
      market.close();
      region.close();
    }
  });

  it('posts results on the public list without tester names or photos; an unknown market is 404', async () => {
    const lot = await arrivedLot(t, { productName: '公示青菜' });
    const test = await positiveOf(lot.lotId);
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/public/markets/${t.demo!.markets.wholesale}/rapid-tests`,
    });
    expect(res.statusCode).toBe(200);
    const posted = res.json().results.find((r: { id: string }) => r.id === test.id);
    expect(posted).toMatchObject({
      productName: '公示青菜',
      methodName: '酶抑制法',
      result: 'positive',
      stallNumber: expect.any(String),
    });
    expect(res.body).not.toContain('李检测');
    expect(
      (await t.inject({ method: 'GET', url: '/api/v1/public/markets/999999/rapid-tests' })).statusCode,
    ).toBe(404);
  });
});

describe('sampling suggestions', () => {
  it('draws from the last day of untested arrivals, the same for the same seed, weighing grade D over A', async () => {
    const demo = t.demo!;
    await t.prisma.issuer.update({ where: { id: demo.issuers.eggs }, data: { creditGrade: 'A' } });
    await t.prisma.issuer.update({ where: { id: demo.issuers.farm }, data: { creditGrade: 'D' } });
    // A day on from every other test's arrivals, with sessions of that day.
    clockOf(t).advance(48 * hour);
    await logIn();
    const fresh = [];
    for (let i = 0; i < 3; i++) fresh.push((await arrivedLot(t, { issuerId: demo.issuers.eggs })).lotId);
    for (let i = 0; i < 3; i++) fresh.push((await arrivedLot(t, { issuerId: demo.issuers.farm })).lotId);
    const tested = await arrivedLot(t, { issuerId: demo.issuers.farm });
    await post('/rapid-tests', sample({ lotId: tested.lotId }, { result: 'negative' }));
    const url = `/api/v1/markets/${demo.markets.wholesale}/sampling-suggestions?count=10&seed=day-1`;
    const first = await t.inject({ method: 'GET', url }, staff);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().seed).toBe('day-1');
    const drawn = first.json().suggestions as { lotId: string; creditGrade: string; weight: number }[];
    expect(drawn.map((s) => s.lotId).sort()).toEqual([...fresh].sort());
    expect(drawn.find((s) => s.creditGrade === 'D')!.weight).toBeGreaterThan(
      drawn.find((s) => s.creditGrade === 'A')!.weight,
    );
    expect((await t.inject({ method: 'GET', url }, regulator)).json()).toEqual(first.json());
    const other = await t.inject({ method: 'GET', url }, otherStaff);
    expect(other.statusCode).toBe(404);
  });
});
