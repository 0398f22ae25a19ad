import { Figures } from '@liangzheng/domain';
import { localDay } from '@liangzheng/domain/time/local-day';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { rangeOf } from '../../src/figures/figures-service.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, TEST_NOW, type TestApp } from '../helper.ts';
import { addGateDevice, bearer, openLot, scanBody } from '../scan/scan-fixture.ts';

describe('figures for the regulator dashboard', () => {
  let t: TestApp;
  const as: Record<string, Record<string, string>> = {};

  async function scan(token: string, gateId: number, lotId: string, certificateId: string) {
    const { code } = await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificateId } });
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, code) },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().verdict.outcome as string;
  }
  async function missing(token: string) {
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          noCertificate: true,
          declaration: {
            productName: '大白菜',
            productCode: 1001,
            category: 'vegetable',
            quantity: 5,
            unit: 'kg',
          },
        },
      },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(201);
  }

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const demo = t.demo!;
    const clock = t.clock as FixedClock;
    // 2026-03-15 (China day) at 马王堆: one accepted lot, one without a certificate, one still open.
    const accepted = await openLot(t, demo.deviceToken);
    expect(await scan(demo.deviceToken, demo.gates.wholesaleEast, accepted, demo.certificateIds[0]!)).toBe(
      'accept',
    );
    await missing(demo.deviceToken);
    await openLot(t, demo.deviceToken);
    // The same day in 株洲: outside 长沙's figures.
    const dock = await addGateDevice(t, demo.gates.supermarketDock, 'dock');
    await missing(dock);
    // 2026-03-16 00:30 China time is still 03-15 in UTC: it counts on the 16th.
    clock.set(new Date('2026-03-15T16:30:00.000Z'));
    await missing(demo.deviceToken);
    clock.set(TEST_NOW);
    as.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    as.cs = await t.login('changsha_regulator', demo.password);
    as.zz = await t.login('zhuzhou_regulator', demo.password);
    as.marketAdmin = await t.login('mawangdui_admin', demo.password);
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (query: string, who: string) =>
    t.inject({ method: 'GET', url: `/api/v1/figures${query}` }, as[who]);

  it("counts a regulator's region per China day in the database", async () => {
    const res = await get('?from=2026-03-14&to=2026-03-16', 'cs');
    expect(res.statusCode, res.body).toBe(200);
    const figures = Figures.parse(res.json());
    expect(figures.regionPrefix).toBe('4301');
    expect(figures.days.map((d) => d.day)).toEqual(['2026-03-14', '2026-03-15', '2026-03-16']);
    const [before, day, next] = figures.days;
    // A day without lots has no rate: the chart leaves a gap rather than drawing 0 %.
    expect(before).toMatchObject({
      lots: 0,
      scannedLots: 0,
      verifiedLots: 0,
      inspectionRate: null,
      verifiedRate: null,
      violations: {},
    });
    expect(day).toEqual({
      day: '2026-03-15',
      lots: 3,
      scannedLots: 1,
      inspectedLots: 1,
      verifiedLots: 1,
      inspectionRate: 1 / 3,
      verifiedRate: 1 / 3,
      outcomes: { accept: 1, review: 0, reject: 1 },
      violations: { MISSING: 1 },
    });
    expect(next).toMatchObject({
      lots: 1,
      verifiedLots: 0,
      outcomes: { reject: 1 },
      violations: { MISSING: 1 },
    });
    expect(figures.violationsByReason).toEqual([{ reason: 'MISSING', count: 2 }]);
  });

  it('admins see every region unless they narrow it; regulators may only narrow their own', async () => {
    const all = Figures.parse((await get('?from=2026-03-15&to=2026-03-15', 'admin')).json());
    expect(all.regionPrefix).toBeNull();
    expect(all.days[0]!.lots).toBe(4);
    const zhuzhou = Figures.parse((await get('?from=2026-03-15&to=2026-03-15', 'zz')).json());
    expect(zhuzhou.days[0]).toMatchObject({ lots: 1, violations: { MISSING: 1 } });
    const narrowed = Figures.parse(
      (await get('?from=2026-03-15&to=2026-03-15&regionPrefix=430102', 'cs')).json(),
    );
    expect(narrowed.days[0]!.lots).toBe(3);
    expect((await get('?regionPrefix=4302', 'cs')).statusCode).toBe(403);
    expect((await get('', 'marketAdmin')).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/figures' })).statusCode).toBe(401);
  });

  it('defaults to the 30 days up to today and refuses reversed or overlong ranges', async () => {
    const figures = Figures.parse((await get('', 'cs')).json());
    expect(figures.days).toHaveLength(30);
    expect(figures.to).toBe('2026-03-15');
    expect(figures.from).toBe('2026-02-14');
    expect((await get('?from=2026-03-16&to=2026-03-15', 'cs')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await get('?from=2024-01-01&to=2026-03-15', 'cs')).statusCode).toBe(400);
    expect((await get('?from=15.3.2026', 'cs')).statusCode).toBe(400);
  });

  it('takes China days', () => {
    expect(localDay(new Date('2026-03-15T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-03-15');
    expect(localDay(new Date('2026-03-15T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-03-16');
    expect(rangeOf({ to: '2026-03-01' }, TEST_NOW, 'Asia/Shanghai')).toEqual({
      ok: true,
      from: '2026-01-31',
      to: '2026-03-01',
    });
  });
});
