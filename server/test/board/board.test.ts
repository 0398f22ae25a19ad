import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardContentSecurityPolicy } from '../../src/board/board.routes.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { arrivedLot } from '../rapid-test/rapid-test-fixture.ts';

// TEST_NOW is 14:00 on 15 March in Beijing: its day began at 2026-03-14T16:00Z.
describe("the market's public 亮证 board", () => {
  let t: TestApp;
  let certificateId: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const demo = t.demo!;
    ({ certificateId } = await arrivedLot(t, { productName: '辣椒' }));
    const lot = (openedAt: string, productName: string, outcome: string | null, withDocument: boolean) =>
      t.prisma.lot.create({
        data: {
          id: randomUUID(),
          marketId: demo.markets.wholesale,
          productName,
          category: 'vegetable',
          quantity: 80,
          unit: 'kg',
          status: outcome ? 'judged' : 'open',
          outcome,
          openedAt: new Date(openedAt),
          ...(withDocument
            ? { documents: { create: { id: randomUUID(), type: 'paper', fields: '{}' } } }
            : {}),
        },
      });
    await lot('2026-03-14T16:30:00.000Z', '上海青', 'review', true); // 00:30 today in Beijing
    await lot('2026-03-14T15:50:00.000Z', '昨日菠菜', 'accept', true); // 23:50 yesterday in Beijing
    const unchecked = await lot('2026-03-15T05:00:00.000Z', '无证豆角', 'reject', false);
    await t.prisma.rapidTest.create({
      data: {
        id: randomUUID(),
        lotId: unchecked.id,
        method: 'enzyme_inhibition',
        analyte: '有机磷和氨基甲酸酯类农药',
        sampleCount: 3,
        result: 'positive',
        testerName: '李检测',
        testedAt: new Date('2026-03-15T05:30:00.000Z'),
      },
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it('is served with no script, under a CSP that forbids scripts, and reloads itself by a meta refresh', async () => {
    const res = await t.inject({ method: 'GET', url: `/board/${t.demo!.markets.wholesale}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toBe(boardContentSecurityPolicy);
    expect(boardContentSecurityPolicy).toMatch(/default-src 'none'/);
    expect(boardContentSecurityPolicy).not.toMatch(/script-src/);
    expect(res.body).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    expect(res.body).toContain('<meta http-equiv="refresh" content="60">');
    expect(res.body).toContain('长沙马王堆蔬菜批发市场 亮证公示');
  });

  it("counts today's arrivals in Beijing time: the 00:30 lot is today's, the 23:50 one yesterday's", async () => {
    const body = (await t.inject({ method: 'GET', url: `/board/${t.demo!.markets.wholesale}` })).body;
    const tile = (label: string) => body.match(new RegExp(`<b>(\\d+)</b>${label}`))?.[1];
    // the fixture's accepted lot (a code), 上海青 at 00:30 (paper, counted as inspected) and 无证豆角 (nothing)
    expect(tile('今日到货批次')).toBe('3');
    expect(tile('已查验')).toBe('2');
    expect(tile('准入')).toBe('1');
    expect(tile('待复核')).toBe('1');
    expect(tile('拒收')).toBe('1');
    expect(body).toContain('<td>00:30</td><td>上海青</td>');
    expect(body).not.toContain('昨日菠菜');
  });

  it("lists each occupied stall's goods under their certificates, and posts the rapid-test results", async () => {
    const body = (await t.inject({ method: 'GET', url: `/board/${t.demo!.markets.wholesale}` })).body;
    expect(body).toContain('A-01 号摊位 · 张桂兰');
    expect(body).toContain(certificateId);
    expect(body).toMatch(
      /无证豆角<\/td><td>—<\/td><td class="wide">酶抑制法[^<]*<\/td><td><span class="tag reject">阳性/,
    );
  });

  it('answers 404 with a page for a market that does not exist, and 400 for an id that is not one', async () => {
    const missing = await t.inject({ method: 'GET', url: '/board/999999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(boardContentSecurityPolicy);
    expect((await t.inject({ method: 'GET', url: '/board/abc' })).statusCode).toBe(400);
  });
});
