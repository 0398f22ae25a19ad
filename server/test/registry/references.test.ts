import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** 张桂兰, a vendor of 马王堆, and the 天元 administrator who must not reach her through a stall of theirs. */
async function tianyuanAgainstZhang() {
  t = await buildTestApp({ demo: true });
  const demo = t.demo!;
  const zhang = await t.prisma.vendor.findFirstOrThrow({ where: { issuerId: demo.issuers.repacker } });
  const tianyuan = await t.login(demo.users.otherMarketAdmin, demo.password);
  return { demo, zhang, tianyuan };
}

describe('a write that names another row is checked against the caller’s scope (security finding 1)', () => {
  it('a market administrator cannot take another market’s vendor onto a stall of theirs, nor read or rewrite her file', async () => {
    const { demo, zhang, tianyuan } = await tianyuanAgainstZhang();

    const takeover = await t.inject(
      { method: 'PATCH', url: `/api/v1/stalls/${demo.stalls.s01}`, payload: { vendorId: zhang.id } },
      tianyuan,
    );
    expect([takeover.statusCode, takeover.json().error?.code]).toEqual([404, 'NOT_FOUND']);
    expect((await t.prisma.stall.findUniqueOrThrow({ where: { id: demo.stalls.s01 } })).vendorId).not.toBe(
      zhang.id,
    );

    const file = await t.inject({ method: 'GET', url: `/api/v1/vendors/${zhang.id}` }, tianyuan);
    const rewrite = await t.inject(
      { method: 'PATCH', url: `/api/v1/vendors/${zhang.id}`, payload: { contact: '000', creditGrade: 'D' } },
      tianyuan,
    );
    expect([file.statusCode, rewrite.statusCode]).toEqual([404, 404]);

    const s01Vendor = await t.login(demo.users.vendor.replace('a01', 's01'), demo.password);
    const repack = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates/repack',
        payload: {
          issuerId: demo.issuers.repacker,
          productCode: 1002,
          quantity: 1,
          unit: 'kg',
          originRegion: '430182',
          basis: 'self_tested',
          parents: [{ certificateId: demo.certificateIds[1], quantity: 1 }],
        },
      },
      s01Vendor,
    );
    expect(repack.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('a new stall cannot be opened for another market’s vendor', async () => {
    const { demo, zhang, tianyuan } = await tianyuanAgainstZhang();
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/stalls',
        payload: { marketId: demo.markets.supermarket, number: 'S-99', vendorId: zhang.id },
      },
      tianyuan,
    );
    expect([res.statusCode, res.json().error?.code]).toEqual([404, 'NOT_FOUND']);
    expect(await t.prisma.stall.count({ where: { number: 'S-99' } })).toBe(0);
  });

  it('a vendor holding stalls in two markets is read by both, but only the platform rewrites her file', async () => {
    const { demo, zhang, tianyuan } = await tianyuanAgainstZhang();
    const admin = await t.login('admin', 'admin-test-password');
    const shared = await t.inject(
      { method: 'PATCH', url: `/api/v1/stalls/${demo.stalls.s01}`, payload: { vendorId: zhang.id } },
      admin,
    );
    expect(shared.statusCode).toBe(200);

    expect((await t.inject({ method: 'GET', url: `/api/v1/vendors/${zhang.id}` }, tianyuan)).statusCode).toBe(
      200,
    );
    const mawangdui = await t.login(demo.users.market_admin, demo.password);
    for (const manager of [tianyuan, mawangdui]) {
      const rewrite = await t.inject(
        { method: 'PATCH', url: `/api/v1/vendors/${zhang.id}`, payload: { creditGrade: 'D' } },
        manager,
      );
      expect([rewrite.statusCode, rewrite.json().error?.code]).toEqual([403, 'FORBIDDEN']);
    }
    const byAdmin = await t.inject(
      { method: 'PATCH', url: `/api/v1/vendors/${zhang.id}`, payload: { creditGrade: 'B' } },
      admin,
    );
    expect(byAdmin.statusCode).toBe(200);
  });

  it('gate staff created by a market administrator cannot carry a producer or a region', async () => {
    const { demo, tianyuan } = await tianyuanAgainstZhang();
    const staff = (extra: Record<string, unknown>) => ({
      method: 'POST' as const,
      url: '/api/v1/users',
      payload: {
        username: `new_staff_${Object.keys(extra)[0]!.toLowerCase()}`,
        displayName: '收货员',
        password: 'a-long-password',
        role: 'gate_staff',
        marketId: demo.markets.supermarket,
        ...extra,
      },
    });
    const withIssuer = await t.inject(staff({ issuerId: demo.issuers.coop }), tianyuan);
    const withRegion = await t.inject(staff({ regionPrefix: '4301' }), tianyuan);
    expect([withIssuer.statusCode, withIssuer.json().error?.code]).toEqual([404, 'NOT_FOUND']);
    expect([withRegion.statusCode, withRegion.json().error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(await t.prisma.user.count({ where: { username: { startsWith: 'new_staff_' } } })).toBe(0);
  });
});
