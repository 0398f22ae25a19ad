import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_NOW, type TestApp } from '../helper.ts';
import { arrivedLot } from '../rapid-test/rapid-test-fixture.ts';

const day = 24 * 60 * 60 * 1000;
let t: TestApp;
let regulator: Record<string, string>;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  regulator = await t.login(t.demo!.users.regulator, t.demo!.password);
}, 120_000);
afterAll(async () => t?.close());

const post = (url: string, payload: object, headers = regulator) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, payload }, headers);
const list = async (query: string) =>
  (await t.inject({ method: 'GET', url: `/api/v1/violations?${query}` }, regulator))
    .json()
    .map((v: { id: string }) => v.id) as string[];

/** A violation on a fresh lot of `issuerId`'s certificate at 马王堆 stall A01, opened `daysAgo` days ago. */
async function violation(
  options: { issuerId?: number; reason?: string; daysAgo?: number; status?: string } = {},
) {
  const { lotId } = await arrivedLot(t, { issuerId: options.issuerId ?? t.demo!.issuers.coop });
  const id = randomUUID();
  const at = new Date(TEST_NOW.getTime() - (options.daysAgo ?? 0) * day);
  await t.prisma.violation.create({
    data: {
      id,
      lotId,
      marketId: t.demo!.markets.wholesale,
      regionCode: '430102',
      reason: options.reason ?? 'MISSING',
      status: options.status ?? 'open',
      createdAt: at,
      updatedAt: at,
    },
  });
  return id;
}

describe('violation deadlines and filters', () => {
  it('an open violation four days old is overdue, with its age and deadline', async () => {
    const id = await violation({ daysAgo: 4 });
    const found = (await t.inject({ method: 'GET', url: `/api/v1/violations/${id}` }, regulator)).json();
    expect(found).toMatchObject({
      ageDays: 4,
      overdue: true,
      dueAt: new Date(TEST_NOW.getTime() - day).toISOString(),
    });
    expect(await list('overdue=true&limit=500')).toContain(id);
    const fresh = await violation();
    expect(await list('overdue=true&limit=500')).not.toContain(fresh);
  });

  it('filters by producer, reason, stall and date', async () => {
    const farm = await violation({ issuerId: t.demo!.issuers.farm, reason: 'QUANTITY_EXCEEDED' });
    const coop = await violation({ reason: 'MISSING', daysAgo: 10 });
    expect(await list(`issuerId=${t.demo!.issuers.farm}&limit=500`)).toContain(farm);
    expect(await list(`issuerId=${t.demo!.issuers.farm}&limit=500`)).not.toContain(coop);
    expect(await list('reason=QUANTITY_EXCEEDED&limit=500')).toEqual(expect.arrayContaining([farm]));
    expect(await list('reason=QUANTITY_EXCEEDED&limit=500')).not.toContain(coop);
    expect(await list(`stallId=${t.demo!.stalls.a01}&limit=500`)).toEqual(
      expect.arrayContaining([farm, coop]),
    );
    expect(await list(`stallId=${t.demo!.stalls.s01}&limit=500`)).not.toContain(farm);
    const since = new Date(TEST_NOW.getTime() - 5 * day).toISOString();
    expect(await list(`from=${since}&limit=500`)).toContain(farm);
    expect(await list(`from=${since}&limit=500`)).not.toContain(coop);
    expect(await list(`to=${since}&limit=500`)).toContain(coop);
  });
});

describe('bulk moves', () => {
  it('moves each violation it may and names the ones it refused with their code', async () => {
    const a = await violation();
    const b = await violation();
    const done = await violation({ status: 'dismissed' });
    const res = await post('/violations/bulk', { ids: [a, b, done], to: 'reviewing', note: '批量受理' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().moved.sort()).toEqual([a, b].sort());
    expect(res.json().refused).toEqual([
      expect.objectContaining({ id: done, code: 'VIOLATION_TRANSITION_INVALID' }),
    ]);
    const events = await t.prisma.violationEvent.findMany({ where: { violationId: a, type: 'status' } });
    expect(events[0]).toMatchObject({ toStatus: 'reviewing', note: '批量受理' });
  });

  it('assigns in bulk to a regulator of the region', async () => {
    const a = await violation();
    const assignee = await t.prisma.user.findUniqueOrThrow({ where: { username: 'furong_regulator' } });
    const res = await post('/violations/bulk', { ids: [a], assigneeId: assignee.id });
    expect(res.json().moved).toEqual([a]);
    expect((await t.prisma.violation.findUniqueOrThrow({ where: { id: a } })).assigneeId).toBe(assignee.id);
  });

  it('a bulk move naming both a status and an assignee is 400', async () => {
    const res = await post('/violations/bulk', { ids: ['x'], to: 'reviewing', assigneeId: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('dispositions', () => {
  it('records goods held and destroyed under supervision, in the detail and the audit log', async () => {
    const id = await violation();
    expect(
      (await post(`/violations/${id}/dispositions`, { kind: 'held', note: '就地封存' })).statusCode,
    ).toBe(201);
    const destroyed = await post(`/violations/${id}/dispositions`, {
      kind: 'destroyed',
      note: '监督销毁 30 kg',
      supervisor: '芙蓉区市场监管所 王某',
    });
    expect(destroyed.statusCode, destroyed.body).toBe(201);
    const detail = (await t.inject({ method: 'GET', url: `/api/v1/violations/${id}` }, regulator)).json();
    expect(detail.dispositions.map((d: { kind: string }) => d.kind)).toEqual(['held', 'destroyed']);
    expect(detail.events.filter((e: { type: string }) => e.type === 'disposition')).toHaveLength(2);
    // who did what and when: each step names its actor
    expect(detail.events.at(-1)).toMatchObject({ type: 'disposition', actorName: '长沙市市场监管局' });
    expect(await t.prisma.auditLog.count({ where: { action: 'violation.disposition', entityId: id } })).toBe(
      2,
    );
  });

  it('destruction without a supervisor is 400', async () => {
    const id = await violation();
    const res = await post(`/violations/${id}/dispositions`, { kind: 'destroyed', note: '销毁' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].path).toBe('body.supervisor');
  });

  it('a penalty before the violation is confirmed is 409 DISPOSITION_NOT_ALLOWED', async () => {
    const id = await violation();
    const res = await post(`/violations/${id}/dispositions`, {
      kind: 'penalty',
      note: '罚款',
      amountYuan: 500,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DISPOSITION_NOT_ALLOWED');
  });

  it('a penalty on a confirmed violation records the amount', async () => {
    const id = await violation({ status: 'confirmed' });
    const res = await post(`/violations/${id}/dispositions`, {
      kind: 'penalty',
      note: '责令改正并罚款',
      amountYuan: 500,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'penalty', amountYuan: 500 });
  });

  it('a dismissed violation takes no disposition: 409 DISPOSITION_NOT_ALLOWED', async () => {
    const id = await violation({ status: 'dismissed' });
    const res = await post(`/violations/${id}/dispositions`, { kind: 'returned', note: '退回' });
    expect(res.json().error.code).toBe('DISPOSITION_NOT_ALLOWED');
  });
});
