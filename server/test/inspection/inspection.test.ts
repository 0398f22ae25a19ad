import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { arrivedLot } from '../rapid-test/rapid-test-fixture.ts';

let t: TestApp;
let admin: Record<string, string>;
let province: Record<string, string>;
let changsha: Record<string, string>;
let zhuzhou: Record<string, string>;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  const demo = t.demo!;
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  province = await t.login('hunan_regulator', demo.password);
  changsha = await t.login(demo.users.regulator, demo.password);
  zhuzhou = await t.login(demo.users.otherRegulator, demo.password);
}, 120_000);
afterAll(async () => t?.close());

const post = (url: string, payload: object, headers: Record<string, string>) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, payload }, headers);

type Task = { id: string; inspectorId: number; regionCode: string; marketId: number; status: string };

describe('双随机 draws', () => {
  it('draws tasks where no inspector inspects their own region, and logs seed and pools', async () => {
    const res = await post('/inspection-draws', { count: 2, seed: 'hunan-2026-03' }, province);
    expect(res.statusCode, res.body).toBe(201);
    const draw = res.json();
    expect(draw.seed).toBe('hunan-2026-03');
    expect(draw.tasks).toHaveLength(2);
    const prefixes = new Map<number, string>(
      draw.inspectorPool.map((i: { userId: number; regionPrefix: string }) => [i.userId, i.regionPrefix]),
    );
    for (const task of draw.tasks as Task[]) {
      expect(task.regionCode.startsWith(prefixes.get(task.inspectorId) as string)).toBe(false);
    }
    const logged = await t.prisma.inspectionDraw.findUniqueOrThrow({ where: { id: draw.id } });
    expect(JSON.parse(logged.targetPool)).toHaveLength(2);
    expect(await t.prisma.auditLog.count({ where: { action: 'inspection.draw', entityId: draw.id } })).toBe(
      1,
    );
  });

  it('the same seed over the same pools draws the same tasks, and the replay route says so', async () => {
    const first = (await post('/inspection-draws', { count: 2, seed: 'again' }, province)).json();
    const second = (await post('/inspection-draws', { count: 2, seed: 'again' }, admin)).json();
    const pairs = (d: { tasks: Task[] }) => d.tasks.map((x) => [x.inspectorId, x.marketId]).sort();
    expect(pairs(second)).toEqual(pairs(first));
    const replay = await post(`/inspection-draws/${first.id}/replay`, {}, zhuzhou);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toMatchObject({ drawId: first.id, same: true });
  });

  it('a replay of a logged draw whose result was altered afterwards is not the same', async () => {
    const draw = (await post('/inspection-draws', { count: 1, seed: 'altered' }, province)).json();
    const row = await t.prisma.inspectionDraw.findUniqueOrThrow({ where: { id: draw.id } });
    const result = JSON.parse(row.result);
    result[0].inspectorId = 999;
    await t.prisma.inspectionDraw.update({
      where: { id: draw.id },
      data: { result: JSON.stringify(result) },
    });
    expect((await post(`/inspection-draws/${draw.id}/replay`, {}, province)).json().same).toBe(false);
  });

  it('a draw over a region with no markets is 409 DRAW_POOL_EMPTY, and nothing is logged', async () => {
    const before = await t.prisma.inspectionDraw.count();
    const res = await post('/inspection-draws', { count: 1, regionPrefix: '430181' }, province);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DRAW_POOL_EMPTY');
    expect(await t.prisma.inspectionDraw.count()).toBe(before);
  });

  it('a draw whose target only its own region’s inspectors could take is 409 DRAW_REGION_CONSTRAINT', async () => {
    // Every regulator but 长沙's (and the province's, which covers all) leaves: 马王堆 (长沙) has nobody to go.
    await t.prisma.user.updateMany({
      where: { role: 'regulator', username: { notIn: ['changsha_regulator', 'hunan_regulator'] } },
      data: { active: false },
    });
    try {
      const res = await post('/inspection-draws', { count: 1, regionPrefix: '4301' }, province);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('DRAW_REGION_CONSTRAINT');
    } finally {
      await t.prisma.user.updateMany({ where: { role: 'regulator' }, data: { active: true } });
    }
  });
});

describe('inspection tasks and findings', () => {
  async function taskFor(username: string) {
    const user = await t.prisma.user.findUniqueOrThrow({ where: { username } });
    for (let seed = 0; seed < 50; seed++) {
      const draw = (
        await post('/inspection-draws', { count: 2, seed: `find-${username}-${seed}` }, admin)
      ).json();
      const task = (draw.tasks as Task[]).find(
        (x) => x.inspectorId === user.id && x.marketId === t.demo!.markets.wholesale,
      );
      if (task) return task;
    }
    throw new Error(`no draw sent ${username} to 马王堆`);
  }

  it('the inspector lists their own tasks', async () => {
    const task = await taskFor('zhuzhou_regulator');
    const mine = await t.inject({ method: 'GET', url: '/api/v1/inspection-tasks?mine=true' }, zhuzhou);
    expect(mine.json().map((x: Task) => x.id)).toContain(task.id);
  });

  it('a non-compliant finding on a lot there opens a violation for the region', async () => {
    const task = await taskFor('zhuzhou_regulator');
    const { lotId } = await arrivedLot(t);
    const res = await post(
      `/inspection-tasks/${task.id}/findings`,
      { compliant: false, note: '未亮证', lotId, openViolation: true, done: true },
      zhuzhou,
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.status).toBe('done');
    const violationId = body.findings[0].violationId;
    const violation = await t.prisma.violation.findUniqueOrThrow({ where: { id: violationId } });
    expect(violation).toMatchObject({
      lotId,
      reason: 'CROSS_INSPECTION',
      status: 'open',
      regionCode: '430102',
    });
    // 长沙's regulators find it in their queue
    const queue = await t.inject(
      { method: 'GET', url: '/api/v1/violations?reason=CROSS_INSPECTION' },
      changsha,
    );
    expect(queue.json().map((v: { id: string }) => v.id)).toContain(violationId);
  });

  it('a finding on a done task is 409 TASK_DONE', async () => {
    const task = await taskFor('zhuzhou_regulator');
    await post(
      `/inspection-tasks/${task.id}/findings`,
      { compliant: true, note: '齐全', done: true },
      zhuzhou,
    );
    const again = await post(
      `/inspection-tasks/${task.id}/findings`,
      { compliant: true, note: '再记' },
      zhuzhou,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('TASK_DONE');
  });

  it('a violation from a lot of another market is 400 INVALID_REFERENCE', async () => {
    const task = await taskFor('zhuzhou_regulator');
    const other = await t.prisma.lot.create({
      data: {
        id: `other-${Date.now()}`,
        marketId: t.demo!.markets.supermarket,
        productName: '鸡蛋',
        category: 'egg',
        quantity: 1,
        unit: 'kg',
      },
    });
    const res = await post(
      `/inspection-tasks/${task.id}/findings`,
      { compliant: false, note: '错', lotId: other.id, openViolation: true },
      zhuzhou,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_REFERENCE');
  });

  it('another regulator cannot record findings on the task: 404', async () => {
    const task = await taskFor('zhuzhou_regulator');
    const res = await post(
      `/inspection-tasks/${task.id}/findings`,
      { compliant: true, note: '代记' },
      province,
    );
    expect(res.statusCode).toBe(404);
  });
});
