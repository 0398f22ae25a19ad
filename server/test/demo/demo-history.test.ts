import { Figures } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyDays, seedDemoHistory } from '../../src/demo/demo-history.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

describe('30 days of demo history', () => {
  let t: TestApp;
  let seconds: number;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const started = performance.now();
    await seedDemoHistory(t.app, t.demo!);
    seconds = (performance.now() - started) / 1000;
  }, 120_000);
  afterAll(async () => t?.close());

  it('is written in a few seconds', () => {
    expect(seconds).toBeLessThan(5);
  });

  it('gives the dashboard every one of the 30 days before today, with paper, second documents and rejections', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const res = await t.inject(
      { method: 'GET', url: '/api/v1/figures?from=2026-02-13&to=2026-03-14' },
      admin,
    );
    const figures = Figures.parse(res.json());
    expect(figures.days).toHaveLength(historyDays);
    for (const day of figures.days) {
      expect(day.lots, day.day).toBeGreaterThan(0);
      expect(day.inspectedLots).toBeGreaterThan(day.scannedLots - 1);
      expect(day.outcomes.reject + day.outcomes.accept).toBeGreaterThan(0);
    }
    const sum = (of: (d: (typeof figures.days)[number]) => number) =>
      figures.days.reduce((a, d) => a + of(d), 0);
    // paper certificates and second documents count as inspected without a scan
    expect(sum((d) => d.inspectedLots)).toBeGreaterThan(sum((d) => d.scannedLots));
    expect(sum((d) => d.outcomes.review)).toBeGreaterThan(0);
    expect(figures.rapidTests.positives).toBe(2);
    expect(figures.rapidTests.confirmedPositives).toBe(1);
    expect(figures.repeatOffenders.length).toBeGreaterThan(0);
  });

  it('has violations in every state, paper, second-document and foreign-code lots, a retest and one draw', async () => {
    const states = await t.prisma.violation.groupBy({ by: ['status'], _count: true });
    expect(states.map((s) => s.status).sort()).toEqual([
      'confirmed',
      'dismissed',
      'open',
      'rectified',
      'reviewing',
    ]);
    const types = await t.prisma.lotDocument.groupBy({
      by: ['type'],
      where: { lotId: { startsWith: 'demo-h-' } },
    });
    expect(types.map((d) => d.type).sort()).toEqual(['code', 'paper', 'second_document']);
    expect(await t.prisma.scan.count({ where: { codeKind: 'foreign_url' } })).toBeGreaterThan(0);
    const retests = await t.prisma.rapidTest.findMany({ where: { retestOfId: { not: null } } });
    expect(retests.map((r) => r.method)).toEqual(['lab', 'lab']);
    expect(await t.prisma.inspectionTask.count({ where: { drawId: 'demo-draw-1' } })).toBe(2);
  });

  it('is the same every time: the same lots with the same outcomes from the same clock', async () => {
    const again = await buildTestApp({ demo: true });
    try {
      await seedDemoHistory(again.app, again.demo!);
      const lotsOf = (app: TestApp) =>
        app.prisma.lot.findMany({
          where: { id: { startsWith: 'demo-h-' } },
          orderBy: { id: 'asc' },
          select: { id: true, outcome: true, openedAt: true, supplier: true, quantity: true },
        });
      expect(await lotsOf(again)).toEqual(await lotsOf(t));
    } finally {
      await again.close();
    }
  }, 120_000);
});
