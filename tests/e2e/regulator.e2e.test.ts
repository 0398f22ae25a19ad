import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceHeaders, scanBody } from '../faults/real-server.ts';
import {
  type ConsoleInChromium,
  certificatesOf,
  describeInChromium,
  type ListedCertificate,
  logInAt,
  screenshotPath,
  smallTargets,
  startConsole,
} from './browser.ts';

/**
 * A regulator of 湖南省 works a violation from a real rejected scan, reads the dashboard and traces the
 * certificate behind it, in chromium against the real server.
 */
describeInChromium('the regulator face in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;
  let cabbage: ListedCertificate;
  let repack: ListedCertificate;

  beforeAll(async () => {
    world = await startConsole();
    const url = world.server.url;
    const repacked = (await certificatesOf(url, 'vendor_a01')).find((c) => c.kind === 'repack');
    expect(repacked, 'the demo repack certificate').toBeDefined();
    const found = (await certificatesOf(url, 'lvyuan_coop')).find(
      (c) => c.id === repacked!.parents[0]?.certificateId,
    );
    expect(found, 'the demo 大白菜 certificate it was repacked from').toBeDefined();
    cabbage = found!;
    repack = repacked!;

    // Declared fruit, scanned with a vegetable certificate: the server rejects it (PRODUCT_MISMATCH), which
    // opens a violation in 芙蓉区.
    const created = await fetch(`${url}/api/v1/lots`, {
      method: 'POST',
      headers: deviceHeaders,
      body: JSON.stringify({
        declaration: { productName: '冰糖橙', category: 'fruit', quantity: 10, unit: 'kg' },
      }),
    });
    expect(created.status).toBe(201);
    const { lot } = (await created.json()) as { lot: { id: string; gateId: number } };
    const scan = await fetch(`${url}/api/v1/scans`, {
      method: 'POST',
      headers: deviceHeaders,
      body: scanBody(randomUUID(), lot.id, lot.gateId, cabbage.code),
    });
    expect(scan.status).toBe(200);
    const answer = (await scan.json()) as { verdict: { outcome: string }; violationId: string | null };
    expect(answer.verdict.outcome).toBe('reject');
    expect(answer.violationId).toBeTruthy();

    // Reduced motion: the console then draws its charts without animation, so what is drawn is final.
    page = await world.browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    await logInAt(page, world.consoleUrl, '/regulator', 'hunan_regulator');
  }, 90_000);

  afterAll(async () => {
    await world?.close();
  });

  it('moves a violation from the queue through open → reviewing → confirmed with notes', async () => {
    const row = page.locator('table.violations tbody tr', { hasText: '产品' });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('待处理');
    await row.first().click();

    const card = page.locator('article.violation');
    await expect.poll(() => card.getAttribute('data-status')).toBe('open');
    expect(await card.locator('.raw').textContent()).toContain(cabbage.code.slice(0, 20));

    await card.getByLabel('备注').fill('已通知市场暂扣该批冰糖橙');
    await card.getByRole('button', { name: '转为 核查中' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('reviewing');

    await card.getByLabel('备注').fill('供货方承认合格证与货品不符');
    await card.getByRole('button', { name: '转为 已确认' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('confirmed');

    const trail = await card.locator('.trail').textContent();
    expect(trail).toContain('待处理 → 核查中');
    expect(trail).toContain('已通知市场暂扣该批冰糖橙');
    expect(trail).toContain('核查中 → 已确认');
    expect(trail).toContain('供货方承认合格证与货品不符');
    // It left the open queue, and the confirmed filter shows it.
    await page.getByRole('button', { name: '已确认', exact: true }).click();
    await expect.poll(() => page.locator('table.violations tbody tr').count()).toBeGreaterThan(0);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('regulator-violations.png'), fullPage: false });

    // From the violation straight to the trace of the certificate that was scanned.
    await card.getByRole('link', { name: '溯源该合格证' }).click();
    await page.waitForURL(new RegExp(`/regulator/trace\\?code=${cabbage.id}$`));
    await expect.poll(() => page.locator('section.trace-down').textContent()).toContain(repack.id);
  }, 30_000);

  it('draws the dashboard charts from the region figures', async () => {
    await page.getByRole('link', { name: '统计' }).click();
    await page.waitForURL(/\/regulator\/dashboard$/);
    const canvases = page.locator('.charts canvas');
    await expect.poll(() => canvases.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.hint').first().textContent()).toMatch(/进场批次 [1-9]\d*/);
    // The day's rejected lot is a red bar (#c62828) in the outcomes chart's plot; the legend's red swatch sits
    // in the bottom fifth of the canvas and is not counted.
    const redPixels = () =>
      canvases.first().evaluate((element) => {
        const canvas = element as unknown as {
          width: number;
          height: number;
          getContext(kind: '2d'): { getImageData(...box: number[]): { data: ArrayLike<number> } };
        };
        const plotHeight = Math.floor(canvas.height * 0.8);
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, plotHeight);
        let red = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (
            Math.abs(data[i]! - 198) < 8 &&
            Math.abs(data[i + 1]! - 40) < 8 &&
            Math.abs(data[i + 2]! - 40) < 8
          )
            red++;
        }
        return red;
      });
    await expect.poll(redPixels, { timeout: 10_000 }).toBeGreaterThan(20);
    await page.screenshot({ path: screenshotPath('regulator-dashboard.png'), fullPage: false });
  }, 30_000);

  it('traces a repack up to its producer and the producer certificate down to repacks, lots and scans', async () => {
    await page.getByRole('link', { name: '溯源' }).click();
    await page.waitForURL(/\/regulator\/trace$/);

    await page.getByLabel('合格证码或编号').fill(repack.code);
    await page.getByRole('button', { name: '溯源', exact: true }).click();
    const up = page.locator('section.trace-up');
    await expect.poll(() => up.textContent()).toContain('绿源');
    expect(await up.textContent()).toContain(cabbage.id);

    await page.getByLabel('合格证码或编号').fill(cabbage.id);
    await page.getByRole('button', { name: '溯源', exact: true }).click();
    const down = page.locator('section.trace-down');
    // The repack's own trace is still on screen until the new one arrives: wait for the lot it lacks.
    await expect.poll(() => down.textContent()).toContain('长沙马王堆蔬菜批发市场');
    const downText = (await down.textContent()) ?? '';
    expect(downText).toContain(repack.id);
    expect(downText).toContain('冰糖橙');
    expect(downText).toMatch(/扫码记录[:：]\s*[1-9]/);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /导出溯源表/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`trace-${cabbage.id}.xlsx`);
    const bytes = readFileSync((await file.path())!);
    // An .xlsx is a zip holding the workbook.
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.toString('latin1')).toContain('xl/workbook.xml');
    await page.screenshot({ path: screenshotPath('regulator-trace.png'), fullPage: false });
  }, 30_000);
});
