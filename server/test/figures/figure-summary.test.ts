import type { FigureCut, FigurePeriod } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFigureSummary, type FigureSummary } from '../../src/figures/figure-summary.ts';
import { cutFigures, type FigureRange, figures } from '../../src/figures/figures-service.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { cutFiguresFromRows, figuresFromRows } from './figures-from-rows.ts';

/** A small seeded generator, so a failing dataset can be made again from the seed the test prints. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}

const seed = Number(process.env.LZ_FIGURES_SEED ?? Date.now() % 1_000_000);
const random = generator(seed);
const hour = 3_600_000;
/** February to April 2025, a year before the demo's own history and old enough to delete (retention: 6 months). */
const first = Date.parse('2025-02-20T00:00:00Z');
const spanHours = 24 * 50;
const categories = ['vegetable', 'fruit', 'egg', 'aquatic', 'livestock_poultry'];
const suppliers = ['', '王五', ' 王五 ', '赵六', '李四'];
const reasons = ['MISSING', 'REUSED', 'EXPIRED', 'QUANTITY_EXCEEDED'];
const silent = { info: () => {}, error: () => {} };

/** An instant in the span; one in five exactly on a Beijing midnight (16:00 UTC) or just before it. */
function instant(): Date {
  const at = first + random.int(spanHours) * hour;
  if (!random.chance(0.2)) return new Date(at + random.int(hour));
  const midnight = Math.floor(at / (24 * hour)) * 24 * hour + 16 * hour;
  return new Date(midnight - (random.chance(0.5) ? 1 : 0));
}

const queries: { name: string; range: FigureRange }[] = [];
for (const [from, to] of [
  ['2025-02-01', '2025-04-30'],
  ['2025-03-01', '2025-03-31'],
  ['2025-03-05', '2025-03-05'],
] as const)
  for (const regionPrefix of [null, '43', '4301', '430211'])
    for (const period of ['day', 'week', 'month'] as FigurePeriod[])
      queries.push({
        name: `${from}…${to} ${regionPrefix} ${period}`,
        range: { from, to, regionPrefix, period },
      });
for (const groupBy of ['region', 'market', 'category', 'producer'] as FigureCut[])
  queries.push({
    name: `cut ${groupBy}`,
    range: { from: '2025-02-01', to: '2025-04-30', regionPrefix: '43', period: 'week', groupBy },
  });

describe(`the figures summary gives the figures counting the rows gives (seed ${seed})`, () => {
  let t: TestApp;
  let summary: FigureSummary;
  let lots: { id: string; marketId: number; openedAt: Date }[] = [];
  let certificates: string[] = [];

  const compare = async (of: FigureSummary = summary) => {
    for (const { name, range } of queries) {
      const expected = await figuresFromRows(t.prisma, t.app.dialect, { ...range, timeZone: of.timeZone });
      expect(await figures(of, range), name).toEqual(expected);
    }
    const month = { from: '2025-03-01', to: '2025-03-31', regionPrefix: '43' };
    for (const groupBy of ['region', 'market', 'category', 'producer'] as FigureCut[]) {
      const expected = await cutFiguresFromRows(
        t.prisma,
        t.app.dialect,
        { ...month, timeZone: of.timeZone },
        groupBy,
      );
      expect(await cutFigures(of, month, groupBy), `report cut ${groupBy}`).toEqual(expected);
    }
  };

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    summary = createFigureSummary({
      db: t.prisma,
      dialect: t.app.dialect,
      timeZone: t.config.timeZone,
      clock: t.clock,
      log: silent,
      backgroundMs: 0,
    });
    const markets = await t.prisma.market.findMany({ select: { id: true, regionCode: true } });
    certificates = (await t.prisma.certificate.findMany({ select: { id: true }, take: 12 })).map((c) => c.id);
    const old = new Date(first);
    lots = Array.from({ length: 300 }, (_, i) => ({
      id: `r-lot-${i}`,
      marketId: random.pick(markets).id,
      openedAt: instant(),
    }));
    await t.prisma.lot.createMany({
      data: lots.map((lot) => ({
        ...lot,
        productName: '样品',
        category: random.pick(categories),
        quantity: 1,
        unit: 'kg',
        supplier: random.pick(suppliers),
        status: 'judged',
        outcome: random.pick([null, 'accept', 'review', 'reject']),
      })),
    });
    const documents = lots.flatMap((lot) =>
      Array.from({ length: random.int(3) }, (_, i) => ({
        id: `r-doc-${lot.id}-${i}`,
        lotId: lot.id,
        type: random.pick(['code', 'paper', 'second_document']),
        certificateId: random.chance(0.6) ? random.pick(certificates) : null,
        createdAt: old,
      })),
    );
    await t.prisma.lotDocument.createMany({ data: documents });
    await t.prisma.scan.createMany({
      data: lots.flatMap((lot) =>
        Array.from({ length: random.int(3) }, (_, i) => ({
          id: `r-scan-${lot.id}-${i}`,
          lotId: lot.id,
          marketId: lot.marketId,
          source: 'camera',
          rawText: 'x',
          codeKind: 'liangzheng',
          certificateId: random.chance(0.7) ? random.pick(certificates) : null,
          outcome: random.pick(['accept', 'review', 'reject']),
          reasons: '[]',
          response: '{}',
          receivedAt: old,
        })),
      ),
    });
    const region = new Map(markets.map((m) => [m.id, m.regionCode]));
    await t.prisma.violation.createMany({
      data: lots
        .filter(() => random.chance(0.3))
        .flatMap((lot) =>
          Array.from({ length: 1 + random.int(2) }, (_, i) => ({
            id: `r-violation-${lot.id}-${i}`,
            lotId: lot.id,
            marketId: lot.marketId,
            regionCode: region.get(lot.marketId) ?? '',
            reason: random.pick(reasons),
            createdAt: new Date(lot.openedAt.getTime() + random.int(72) * hour),
          })),
        ),
    });
    const tests = lots
      .filter(() => random.chance(0.2))
      .map((lot) => ({
        id: `r-test-${lot.id}`,
        lotId: lot.id,
        method: 'enzyme_inhibition',
        analyte: '有机磷',
        sampleCount: 1,
        result: random.pick(['negative', 'positive']),
        testedAt: new Date(lot.openedAt.getTime() + random.int(30) * hour),
        violationId: random.chance(0.3) ? 'confirmed' : null,
      }));
    await t.prisma.rapidTest.createMany({
      data: [
        ...tests,
        ...tests
          .filter((test) => test.result === 'positive')
          .map((test) => ({
            ...test,
            id: `${test.id}-retest`,
            method: 'lab',
            retestOfId: test.id,
            testedAt: new Date(test.testedAt.getTime() + 2 * hour),
          })),
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await summary?.close();
    await t?.close();
  });

  it('after the rows are written, for every range, region, period and cut', async () => {
    await compare();
    // The data set is not trivial: every figure has something to count.
    const whole = await figures(summary, queries[0]!.range);
    expect(whole.days.some((day) => day.lots > 0 && day.inspectedLots < day.lots)).toBe(true);
    expect(whole.violationsByReason.length).toBeGreaterThan(1);
    expect(whole.repeatOffenders.length).toBeGreaterThan(0);
    expect(whole.rapidTests.positives).toBeGreaterThan(0);
  }, 120_000);

  it('through the route, which catches up before it answers', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    await t.prisma.lot.update({ where: { id: lots[0]!.id }, data: { outcome: 'reject' } });
    const res = await t.inject(
      { method: 'GET', url: '/api/v1/figures?from=2025-02-01&to=2025-04-30&period=week&groupBy=market' },
      admin,
    );
    expect(res.statusCode).toBe(200);
    const expected = await figuresFromRows(t.prisma, t.app.dialect, {
      from: '2025-02-01',
      to: '2025-04-30',
      regionPrefix: null,
      period: 'week',
      groupBy: 'market',
      timeZone: t.config.timeZone,
    });
    expect(res.json()).toEqual(expected);
  }, 60_000);

  it('after outcomes, suppliers, markets, documents, scans, violations and rapid tests change or go', async () => {
    const some = <T>(items: readonly T[], share: number) => items.filter(() => random.chance(share));
    const markets = await t.prisma.market.findMany({ select: { id: true } });
    for (const lot of some(lots, 0.15))
      await t.prisma.lot.update({
        where: { id: lot.id },
        data: { outcome: random.pick(['accept', 'review', 'reject']), supplier: random.pick(suppliers) },
      });
    for (const lot of some(lots, 0.05))
      await t.prisma.lot.update({ where: { id: lot.id }, data: { marketId: random.pick(markets).id } });
    // A certificate shown late names the lot's producer, by which its violations are counted too.
    const withViolations = await t.prisma.violation.findMany({ select: { lotId: true } });
    for (const { lotId } of some(withViolations, 0.3))
      await t.prisma.lotDocument.create({
        data: {
          id: `r-late-${lotId}-${random.int(1e9)}`,
          lotId,
          type: 'code',
          certificateId: random.pick(certificates),
        },
      });
    for (const lot of some(lots, 0.1))
      await t.prisma.scan.create({
        data: {
          id: `r-late-scan-${lot.id}`,
          lotId: lot.id,
          marketId: lot.marketId,
          source: 'hid',
          rawText: 'y',
          codeKind: 'liangzheng',
          certificateId: random.pick(certificates),
          outcome: 'accept',
          reasons: '[]',
          response: '{}',
        },
      });
    for (const violation of some(await t.prisma.violation.findMany({ select: { id: true } }), 0.2))
      await t.prisma.violation.update({
        where: { id: violation.id },
        data: { reason: random.pick(reasons) },
      });
    const gone = <T extends { id: string }>(rows: T[]) => some(rows, 0.1).map((row) => row.id);
    await t.prisma.scan.deleteMany({
      where: { id: { in: gone(await t.prisma.scan.findMany({ where: { id: { startsWith: 'r-scan' } } })) } },
    });
    await t.prisma.lotDocument.deleteMany({
      where: {
        id: { in: gone(await t.prisma.lotDocument.findMany({ where: { id: { startsWith: 'r-doc' } } })) },
      },
    });
    await t.prisma.rapidTest.deleteMany({
      where: {
        id: { in: gone(await t.prisma.rapidTest.findMany({ where: { retestOfId: { not: null } } })) },
      },
    });
    await t.prisma.rapidTest.updateMany({
      where: { id: { in: gone(await t.prisma.rapidTest.findMany({ where: { retestOfId: null } })) } },
      data: { violationId: 'confirmed-later', result: 'positive' },
    });
    await t.prisma.violation.deleteMany({
      where: { id: { in: gone(await t.prisma.violation.findMany({ where: { id: { startsWith: 'r-' } } })) } },
    });
    await compare();
    expect(await t.prisma.figureChange.count()).toBe(0);
  }, 180_000);

  it('is rebuilt from the rows when it was cut in another time zone, or never built (a backfill), with progress logged', async () => {
    const logged: string[] = [];
    const log = { info: (line: string) => logged.push(line), error: (line: string) => logged.push(line) };
    const anew = () =>
      createFigureSummary({
        db: t.prisma,
        dialect: t.app.dialect,
        timeZone: t.config.timeZone,
        clock: t.clock,
        log,
        backgroundMs: 0,
      });
    // Days cut elsewhere: every row of the summary is wrong for this server until it is rebuilt.
    await t.prisma.figureSummary.update({
      where: { id: 1 },
      data: { timeZone: 'Asia/Tokyo', utcOffsetMinutes: 540 },
    });
    await t.prisma.figureLots.updateMany({ data: { lots: 1_000 } });
    const rebuilt = anew();
    await compare(rebuilt);
    expect(logged[0]).toMatch(/rebuilding, its days were cut in Asia\/Tokyo/);
    expect(logged.filter((line) => /day \d+ of \d+/.test(line)).length).toBeGreaterThan(7);

    await t.prisma.figureSummary.deleteMany();
    await t.prisma.figureProducerLots.deleteMany();
    logged.length = 0;
    const backfilled = anew();
    await compare(backfilled);
    expect(logged[0]).toMatch(/building it from the lots/);
    expect(logged.at(-1)).toMatch(/days caught up in/);
    await Promise.all([rebuilt.close(), backfilled.close()]);
  }, 180_000);
});
