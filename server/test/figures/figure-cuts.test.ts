import { randomUUID } from 'node:crypto';
import { Figures } from '@liangzheng/domain';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

/**
 * Known lots in March 2025 (Beijing time; the demo's own are a year later), written straight to the tables: the
 * figures must count exactly these. 3 March 2025 is a Monday.
 */
describe('figures per period and per region, market, category and producer', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let coop: number;
  let eggs: number;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const demo = t.demo!;
    admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    coop = demo.issuers.coop;
    eggs = demo.issuers.eggs;
    const certificateOf = async (issuerId: number) =>
      (await t.prisma.certificate.findFirstOrThrow({ where: { issuerId } })).id;
    const [coopCertificate, eggCertificate] = [await certificateOf(coop), await certificateOf(eggs)];
    // Producers count for 开证率 from their registration: the demo's are registered today, long after.
    await t.prisma.issuer.update({
      where: { id: coop },
      data: { createdAt: new Date('2025-02-02T00:00:00Z') },
    });
    await t.prisma.issuer.update({
      where: { id: eggs },
      data: { createdAt: new Date('2025-02-02T00:00:00Z') },
    });
    await t.prisma.certificate.update({
      where: { id: coopCertificate },
      data: { issuedAt: new Date('2025-03-06T01:00:00Z') },
    });
    await t.prisma.certificate.update({
      where: { id: eggCertificate },
      data: { issuedAt: new Date('2025-02-21T01:00:00Z') },
    });

    const lot = async (
      marketId: number,
      openedAt: string,
      category: string,
      outcome: string,
      document: { type: string; certificateId?: string; secondKind?: string } | null,
      supplier = '',
    ) => {
      const id = randomUUID();
      await t.prisma.lot.create({
        data: {
          id,
          marketId,
          productName: category,
          category,
          quantity: 10,
          unit: 'kg',
          supplier,
          status: 'judged',
          outcome,
          openedAt: new Date(openedAt),
          ...(document ? { documents: { create: { id: randomUUID(), ...document } } } : {}),
        },
      });
      if (outcome === 'reject') {
        const market = await t.prisma.market.findUniqueOrThrow({ where: { id: marketId } });
        await t.prisma.violation.create({
          data: {
            id: randomUUID(),
            lotId: id,
            marketId,
            regionCode: market.regionCode,
            reason: 'MISSING',
            createdAt: new Date(openedAt),
          },
        });
      }
      return id;
    };
    const w = demo.markets.wholesale;
    const cabbage = await lot(w, '2025-03-03T02:00:00Z', 'vegetable', 'accept', {
      type: 'code',
      certificateId: coopCertificate,
    });
    // 00:30 on Monday 3 March in Beijing, still Sunday in UTC: Monday's, on a paper certificate.
    await lot(w, '2025-03-02T16:30:00Z', 'vegetable', 'review', { type: 'paper' });
    const eggLot = await lot(w, '2025-03-10T03:00:00Z', 'egg', 'accept', {
      type: 'second_document',
      certificateId: eggCertificate,
      secondKind: 'test_report',
    });
    await lot(w, '2025-03-11T03:00:00Z', 'vegetable', 'reject', null, '王五');
    await lot(w, '2025-03-12T03:00:00Z', 'vegetable', 'reject', null, '王五');
    await lot(demo.markets.supermarket, '2025-03-11T03:00:00Z', 'fruit', 'reject', null, '赵六');

    const positive = randomUUID();
    const test = (id: string, lotId: string, result: string, testedAt: string, extra = {}) =>
      t.prisma.rapidTest.create({
        data: {
          id,
          lotId,
          method: 'enzyme_inhibition',
          analyte: '有机磷',
          sampleCount: 1,
          result,
          testedAt: new Date(testedAt),
          ...extra,
        },
      });
    await test(positive, cabbage, 'positive', '2025-03-03T03:00:00Z', { violationId: 'confirmed' });
    await test(randomUUID(), cabbage, 'positive', '2025-03-03T05:00:00Z', {
      method: 'lab',
      retestOfId: positive,
    });
    await test(randomUUID(), eggLot, 'negative', '2025-03-10T04:00:00Z');
  }, 120_000);
  afterAll(async () => t?.close());

  const get = async (query: string) => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/figures?${query}` }, admin);
    expect(res.statusCode, res.body).toBe(200);
    return Figures.parse(res.json());
  };

  it('counts paper certificates and second documents as inspected, and a lot at 00:30 on its Beijing day', async () => {
    const f = await get('from=2025-03-02&to=2025-03-03');
    expect(f.days[0]).toMatchObject({ day: '2025-03-02', lots: 0, inspectionRate: null });
    expect(f.days[1]).toMatchObject({
      day: '2025-03-03',
      lots: 2,
      scannedLots: 0,
      inspectedLots: 2,
      inspectionRate: 1,
    });
    expect(f.utcOffset).toBe('+08:00');
    expect(f.timeZone).toBe('Asia/Shanghai');
  });

  it('buckets by ISO week (clipped to the range) and by calendar month', async () => {
    const weeks = await get('from=2025-03-02&to=2025-03-16&period=week');
    expect(
      weeks.periods.map((p) => [
        p.start,
        p.end,
        p.lots,
        p.inspectedLots,
        p.violations,
        p.rapidTests,
        p.positives,
      ]),
    ).toEqual([
      ['2025-03-02', '2025-03-02', 0, 0, 0, 0, 0],
      ['2025-03-03', '2025-03-09', 2, 2, 0, 1, 1],
      ['2025-03-10', '2025-03-16', 4, 1, 3, 1, 0],
    ]);
    expect(weeks.periods[0]!.inspectionRate).toBeNull();
    expect(weeks.periods[2]!.inspectionRate).toBe(0.25);
    const months = await get('from=2025-02-20&to=2025-04-02&period=month');
    expect(months.periods.map((p) => [p.start, p.end, p.lots])).toEqual([
      ['2025-02-20', '2025-02-28', 0],
      ['2025-03-01', '2025-03-31', 6],
      ['2025-04-01', '2025-04-02', 0],
    ]);
  });

  it('cuts per market, category, producer and region', async () => {
    const cut = async (groupBy: string) =>
      (await get(`from=2025-03-01&to=2025-03-31&groupBy=${groupBy}`)).breakdown!.rows.map((r) => [
        r.name,
        r.lots,
        r.inspectedLots,
        r.violations,
      ]);
    expect(await cut('market')).toEqual([
      ['长沙马王堆蔬菜批发市场', 5, 3, 2],
      ['株洲天元鲜生超市', 1, 0, 1],
    ]);
    expect(await cut('category')).toEqual([
      ['蔬菜', 4, 2, 2],
      ['水果', 1, 0, 1],
      ['禽蛋', 1, 1, 0],
    ]);
    const producers = await cut('producer');
    expect(producers[0]).toEqual(['未知（无合格证）', 4, 1, 3]);
    expect(producers.slice(1).map((p) => p[1])).toEqual([1, 1]);
    const regions = (await get('from=2025-03-01&to=2025-03-31&groupBy=region')).breakdown!.rows;
    expect(regions.map((r) => [r.key, r.lots])).toEqual([
      ['430102', 5],
      ['430211', 1],
    ]);
  });

  it('finds repeat offenders, counts rapid tests and positives, and 开证率 for the region', async () => {
    const f = await get('from=2025-03-01&to=2025-03-31&regionPrefix=4301');
    expect(f.repeatOffenders).toEqual([
      { kind: 'supplier', key: 'supplier:王五', name: '王五', violations: 2, reasons: ['MISSING'] },
    ]);
    expect(f.rapidTests).toEqual({ tests: 2, positives: 1, confirmedPositives: 1 });
    expect(f.violationsByReason).toEqual([{ reason: 'MISSING', count: 2 }]);
    // coop (issued on 6 March) and the egg farm (last issued in February) are the only producers registered by then
    expect(f.issuing).toEqual({ registeredProducers: 2, issuingProducers: 1, issuingRate: 0.5 });
  });

  it('narrows to one market, and a market outside the region shows nothing', async () => {
    const one = await get(`from=2025-03-01&to=2025-03-31&marketId=${t.demo!.markets.supermarket}`);
    expect(one.days.reduce((sum, d) => sum + d.lots, 0)).toBe(1);
    const outside = await get(
      `from=2025-03-01&to=2025-03-31&regionPrefix=4301&marketId=${t.demo!.markets.supermarket}`,
    );
    expect(outside.days.reduce((sum, d) => sum + d.lots, 0)).toBe(0);
  });

  it('writes the monthly report for the level above (长沙市 → 湖南省) as a workbook with the same figures', async () => {
    const regulator = await t.login('changsha_regulator', t.demo!.password);
    const res = await t.inject(
      { method: 'GET', url: '/api/v1/figures/report.xlsx?month=2025-03' },
      regulator,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('liangzheng-report-4301-2025-03.xlsx');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const workbook = strFromU8(files['xl/workbook.xml']!);
    for (const name of [
      '概况 Summary',
      '按日 Daily',
      '按市场 Markets',
      '按生产者 Producers',
      '重复违规 Repeat offenders',
    ])
      expect(workbook).toContain(name);
    const text = Object.entries(files)
      .filter(([path]) => path.startsWith('xl/'))
      .map(([, bytes]) => strFromU8(bytes))
      .join('');
    for (const expected of ['长沙市', '湖南省', '王五', '长沙马王堆蔬菜批发市场', '2025-03-31'])
      expect(text).toContain(expected);
    // Outcomes in the gate's words, never the old 准入/待复核/拒收.
    for (const word of ['通过 Accepted', '需人工复核 Needs review', '拒绝 Rejected'])
      expect(text).toContain(word);
    for (const word of ['准入', '待复核', '拒收']) expect(text).not.toContain(word);
    // the daily sheet: a header and the 31 days of March
    expect(strFromU8(files['xl/worksheets/sheet2.xml']!).match(/<row /g)).toHaveLength(32);
    expect(
      (await t.inject({ method: 'GET', url: '/api/v1/figures/report.xlsx?month=2025-13' }, regulator))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t.inject(
          { method: 'GET', url: '/api/v1/figures/report.xlsx?month=2025-03&regionPrefix=4302' },
          regulator,
        )
      ).statusCode,
    ).toBe(403);
  });
});
