import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** 芙蓉区, where the demo's wholesale market 马王堆 trades. */
const furong = '430102';

async function asAdmin(): Promise<SessionHeaders> {
  t = await buildTestApp({ demo: true });
  return t.login('admin', TEST_ADMIN_PASSWORD);
}

const deactivate = (code: string, headers: SessionHeaders) =>
  t.inject({ method: 'POST', url: `/api/v1/regions/${code}/deactivate` }, headers);

const regionAudits = () => t.prisma.auditLog.count({ where: { entity: 'region', action: 'deactivate' } });

describe('region deactivation', () => {
  it('refuses REGION_IN_USE while one of its markets is active, and changes nothing', async () => {
    const admin = await asAdmin();
    const res = await deactivate(furong, admin);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('REGION_IN_USE');
    expect(res.json().error.message).toContain('1');
    expect((await t.prisma.region.findUniqueOrThrow({ where: { code: furong } })).active).toBe(true);
    expect(await regionAudits()).toBe(0);
  });

  it('deactivates a region once its markets are deactivated, and lists it inactive', async () => {
    const admin = await asAdmin();
    const markets = await t.prisma.market.findMany({ where: { regionCode: furong } });
    expect(markets.length).toBeGreaterThan(0);
    for (const market of markets) {
      const off = await t.inject({ method: 'POST', url: `/api/v1/markets/${market.id}/deactivate` }, admin);
      expect(off.statusCode).toBe(200);
    }
    const res = await deactivate(furong, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: furong, active: false });
    const listed = await t.inject({ method: 'GET', url: '/api/v1/regions' }, admin);
    const regions = listed.json() as { code: string; active: boolean }[];
    expect(regions.find((r) => r.code === furong)?.active).toBe(false);
    expect(regions.filter((r) => r.code !== furong).every((r) => r.active)).toBe(true);
    expect(await regionAudits()).toBe(1);
  });

  it('refuses a new market in a deactivated region with INACTIVE, writing nothing', async () => {
    const admin = await asAdmin();
    const created = await t.inject(
      { method: 'POST', url: '/api/v1/regions', payload: { code: '439901', name: '空区', level: 'county' } },
      admin,
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().active).toBe(true);
    expect((await deactivate('439901', admin)).statusCode).toBe(200);

    const market = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/markets',
        payload: { name: '新市场', kind: 'wholesale', regionCode: '439901' },
      },
      admin,
    );
    expect(market.statusCode).toBe(409);
    expect(market.json().error.code).toBe('INACTIVE');
    expect(await t.prisma.market.count({ where: { regionCode: '439901' } })).toBe(0);
  });

  it('is for admins only: a market admin is refused FORBIDDEN', async () => {
    t = await buildTestApp({ demo: true });
    const manager = await t.login(t.demo!.users.market_admin, t.demo!.password);
    const res = await deactivate('430104', manager);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect((await t.prisma.region.findUniqueOrThrow({ where: { code: '430104' } })).active).toBe(true);
  });

  it('answers NOT_FOUND for an unknown region and VALIDATION_FAILED for a malformed code', async () => {
    const admin = await asAdmin();
    const unknown = await deactivate('439999', admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    const malformed = await deactivate('43010x', admin);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('never leaves an active market in a deactivated region when both are asked at once', async () => {
    const admin = await asAdmin();
    for (let round = 0; round < 6; round++) {
      const code = String(439910 + round);
      const region = await t.inject(
        {
          method: 'POST',
          url: '/api/v1/regions',
          payload: { code, name: `竞争区${round}`, level: 'county' },
        },
        admin,
      );
      expect(region.statusCode).toBe(201);
      const [off, market] = await Promise.all([
        deactivate(code, admin),
        t.inject(
          {
            method: 'POST',
            url: '/api/v1/markets',
            payload: { name: `竞争市场${round}`, kind: 'wholesale', regionCode: code },
          },
          admin,
        ),
      ]);
      const stored = await t.prisma.region.findUniqueOrThrow({ where: { code } });
      const activeMarkets = await t.prisma.market.count({ where: { regionCode: code, active: true } });
      if (off.statusCode === 200) {
        expect(market.json().error.code).toBe('INACTIVE');
        expect([stored.active, activeMarkets]).toEqual([false, 0]);
      } else {
        expect(off.json().error.code).toBe('REGION_IN_USE');
        expect(market.statusCode).toBe(201);
        expect([stored.active, activeMarkets]).toEqual([true, 1]);
      }
    }
  });
});
