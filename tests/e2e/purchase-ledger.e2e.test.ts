import { readFileSync } from 'node:fs';
import { addDays, localDay } from '@liangzheng/domain/time/local-day';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConsoleInChromium,
  describeInChromium,
  logInAt,
  screenshotPath,
  startConsole,
} from './browser.ts';

/**
 * 马王堆's market administrator downloads the 台账 over the demo's 30 days of history as CSV and as XLSX, watching
 * the progress line, and asks for more than a year. Chromium against the real server.
 */

/** The page's window, as far as this test reads it (the tests package has no DOM types). */
interface StatusWatch {
  document: {
    querySelector(selector: string): unknown;
  };
  MutationObserver: new (
    callback: () => void,
  ) => {
    observe(target: unknown, options: { subtree: boolean; childList: boolean; characterData: boolean }): void;
  };
  ledgerStatuses: string[];
}

describeInChromium('the 台账 screen in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;
  const today = localDay(new Date(), 'Asia/Shanghai');

  beforeAll(async () => {
    world = await startConsole();
    page = await world.browser.newPage({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    await logInAt(page, world.consoleUrl, '/ledger', 'mawangdui_admin');
    await page.getByRole('heading', { name: '进货查验台账' }).waitFor({ timeout: 30_000 });
    // A market's office line, not loopback: the file arrives in many pieces, so the progress line has to move.
    const network = await page.context().newCDPSession(page);
    await network.send('Network.enable');
    await network.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: 16 * 1024,
      uploadThroughput: 64 * 1024,
    });
    // Every status line the screen shows, as it shows it: a download's progress passes too fast to poll.
    await page.evaluate(() => {
      const view = globalThis as unknown as StatusWatch;
      view.ledgerStatuses = [];
      const root = view.document.querySelector('.purchase-ledger');
      new view.MutationObserver(() => {
        const status = view.document.querySelector('.purchase-ledger [role="status"]') as {
          textContent: string;
        } | null;
        const text = status?.textContent ?? '';
        if (text && view.ledgerStatuses.at(-1) !== text) view.ledgerStatuses.push(text);
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
  }, 180_000);
  afterAll(async () => {
    await world?.close();
  });

  const statuses = () => page.evaluate(() => (globalThis as unknown as StatusWatch).ledgerStatuses.splice(0));

  async function downloadWith(button: string, from: string): Promise<{ download: Download; bytes: Buffer }> {
    await page.getByLabel('开始日期').fill(from);
    await page.getByLabel('结束日期').fill(today);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    const file = await download.path();
    return { download, bytes: readFileSync(file) };
  }

  it('downloads 30 days as CSV in Chinese, counting the rows as they arrive up to the total the server announced', async () => {
    const { download, bytes } = await downloadWith('下载 CSV', addDays(today, -29));
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const lines = bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    expect(lines[0]).toContain('产品');
    const rows = lines.length - 1;
    expect(rows).toBeGreaterThan(10);
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`已下载，共 ${rows} 行。`);
    const seen = await statuses();
    // a progress line with the announced total came before the done line
    const progress = seen.filter((text) => new RegExp(`^已接收 \\d+ / ${rows} 行$`).test(text.trim()));
    expect(progress.length, seen.join(' | ')).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(`已下载，共 ${rows} 行。`);
  }, 60_000);

  it('downloads the same days as XLSX, with its progress in bytes', async () => {
    const { download, bytes } = await downloadWith('下载 Excel (XLSX)', addDays(today, -29));
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    // an XLSX is a zip
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const seen = await statuses();
    expect(
      seen.some((text) => /^已接收 \d+ KB（共 \d+ 行）$/.test(text.trim())),
      seen.join(' | '),
    ).toBe(true);
    expect(seen.at(-1)).toMatch(/^已下载，共 \d+ 行。$/);
  }, 60_000);

  it('says in Chinese that a range over a year is too long, and downloads nothing', async () => {
    let downloaded = false;
    page.once('download', () => {
      downloaded = true;
    });
    await page.getByLabel('开始日期').fill(addDays(today, -400));
    await page.getByLabel('结束日期').fill(today);
    await page.getByRole('button', { name: '下载 CSV' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('导出范围不可超过一年，请缩短日期范围。');
    expect(downloaded).toBe(false);
    await page.screenshot({ path: screenshotPath('purchase-ledger-too-long.png') });
  }, 60_000);
});
