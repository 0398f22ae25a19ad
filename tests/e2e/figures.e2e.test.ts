import { readFileSync } from 'node:fs';
import { addDays, localDay } from '@liangzheng/domain/time/local-day';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConsoleInChromium,
  describeInChromium,
  logInAt,
  screenshotPath,
  startConsole,
} from './browser.ts';

/**
 * 长沙's regulator reads the dashboard over the demo's 30 days of history, switches period and cut, and downloads
 * the monthly report; the market's public board renders with no script. Chromium against the real server.
 */
/** The page's window, as far as this test reads it. */
interface StyleView {
  getComputedStyle(element: unknown): { color: string };
}

describeInChromium('the figures dashboard and the public board in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;
  const today = localDay(new Date(), 'Asia/Shanghai');

  beforeAll(async () => {
    world = await startConsole();
    page = await world.browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
      acceptDownloads: true,
    });
    await logInAt(page, world.consoleUrl, '/regulator/dashboard', 'changsha_regulator');
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  const tableRows = () => page.locator('table.figures-table[aria-labelledby="figures-table-title"] tbody tr');

  it('shows the days as a table beside the charts, in the gate colours, with a dash (a gap) for a day without lots', async () => {
    await expect.poll(() => tableRows().count(), { timeout: 15_000 }).toBe(30);
    await expect
      .poll(() => page.locator('.charts canvas').count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('[role="img"][aria-describedby="figures-table-title"]').count()).toBe(1);
    // One day before the history starts: no lots, so no rate.
    await page.getByLabel('开始日期').fill(addDays(today, -31));
    await expect.poll(() => tableRows().count(), { timeout: 10_000 }).toBe(32);
    const first = tableRows().first();
    expect(await first.locator('th').textContent()).toBe(addDays(today, -31));
    expect(await first.locator('td').nth(0).textContent()).toBe('0');
    expect(await first.locator('td').nth(5).textContent()).toBe('—');
    const second = await tableRows().nth(1).locator('td').nth(5).textContent();
    expect(second).toMatch(/^\d+%$/);
    const colour = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((e) => {
          // runs in the page; the tests package has no DOM types
          const view = (e as unknown as { ownerDocument: { defaultView: StyleView } }).ownerDocument
            .defaultView;
          return view.getComputedStyle(e).color;
        });
    expect(await colour('th.outcome-accept')).toBe('rgb(23, 128, 58)');
    expect(await colour('th.outcome-reject')).toBe('rgb(198, 40, 40)');
    expect(await colour('th.outcome-pending')).toBe('rgb(29, 79, 168)');
    expect(await page.locator('.figure-headline').textContent()).toMatch(/开证率 \d+%/);
    await page.screenshot({ path: screenshotPath('figures-dashboard.png'), fullPage: false });
  }, 60_000);

  it('buckets by week and cuts per market', async () => {
    await page.getByLabel('统计周期').selectOption('week');
    await expect.poll(() => tableRows().count(), { timeout: 10_000 }).toBeLessThanOrEqual(6);
    await page.getByLabel('分组').selectOption('market');
    const cut = page.locator('section', { has: page.getByRole('heading', { name: '按市场' }) });
    await expect.poll(() => cut.textContent(), { timeout: 10_000 }).toContain('长沙马王堆蔬菜批发市场');
    // 株洲's market is outside 长沙's region
    expect(await cut.textContent()).not.toContain('株洲天元鲜生超市');
    expect(
      await page.locator('section', { hasText: '重复违规主体' }).locator('tbody tr').count(),
    ).toBeGreaterThan(0);
  }, 30_000);

  it('downloads the monthly report for the level above', async () => {
    const month = addDays(today, -20).slice(0, 7);
    await page.getByLabel('月报月份').fill(month);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /下载月报/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`liangzheng-report-4301-${month}.xlsx`);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.toString('latin1')).toContain('xl/workbook.xml');
  }, 30_000);

  it('renders the market board with no script, on a wide screen and on a phone', async () => {
    const board = await world.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const blocked: string[] = [];
    board.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const response = await board.goto(`${world.server.url}/board/1`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await board.locator('script').count()).toBe(0);
    expect(await board.locator('h1').textContent()).toContain('亮证公示');
    expect(await board.locator('.tile').count()).toBe(5);
    expect(await board.locator('text=快检结果公示').count()).toBe(1);
    await board.screenshot({ path: screenshotPath('market-board.png'), fullPage: false });
    await board.setViewportSize({ width: 390, height: 844 });
    // on a phone nothing runs off the side
    expect(await board.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await board.screenshot({ path: screenshotPath('market-board-phone.png'), fullPage: false });
    expect(blocked).toEqual([]);
    await board.close();
  }, 30_000);
});
