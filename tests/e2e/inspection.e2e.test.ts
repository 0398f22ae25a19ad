import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceHeaders } from '../faults/real-server.ts';
import {
  type ConsoleInChromium,
  describeInChromium,
  logInAt,
  screenshotPath,
  startConsole,
} from './browser.ts';

/**
 * 双随机 in chromium against the real server: 株洲's regulator draws over 湖南 with a seed, re-runs the logged draw,
 * inspects the 长沙 market the draw sent them to and opens a violation from a finding; 湖南's regulator finds it in
 * the queue by reason and takes it on.
 */
describeInChromium('the regulator’s cross-inspection in chromium', () => {
  let world: ConsoleInChromium;
  let inspector: Page;
  let lotId: string;

  beforeAll(async () => {
    world = await startConsole();
    // An arrival at 马王堆 (长沙 芙蓉区) for the finding to name.
    const created = await fetch(`${world.server.url}/api/v1/lots`, {
      method: 'POST',
      headers: deviceHeaders,
      body: JSON.stringify({
        declaration: { productName: '菜心（抽检）', category: 'vegetable', quantity: 20, unit: 'kg' },
      }),
    });
    expect(created.status).toBe(201);
    lotId = ((await created.json()) as { lot: { id: string } }).lot.id;
    inspector = await world.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await logInAt(inspector, world.consoleUrl, '/regulator/inspections', 'zhuzhou_regulator');
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('draws with a seed, never sending an inspector to their own region, and the replay agrees', async () => {
    await inspector.getByLabel('随机种子（留空自动生成）').fill('e2e-湖南-2026');
    await inspector.getByRole('button', { name: '抽取', exact: true }).click();
    const rows = inspector.locator('.drawn table.tasks tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    // 马王堆 is in 长沙: of the pool only 株洲's regulator may go there.
    const mawangdui = rows.filter({ hasText: '马王堆' });
    expect(await mawangdui.textContent()).toContain('株洲');
    await expect.poll(() => inspector.locator('.drawn code').textContent()).toBe('e2e-湖南-2026');
    await inspector.getByRole('button', { name: '按种子复核' }).click();
    await expect.poll(() => inspector.getByRole('status').textContent()).toContain('复核一致');
  });

  it('records a non-compliant finding on a lot at the market, which opens a violation', async () => {
    // The demo's own draw may have sent them to 马王堆 too: take the task of the draw just made.
    const drawId = await inspector.locator('.drawn').getAttribute('data-draw-id');
    const task = inspector.locator(`.my-tasks article.task[data-draw-id="${drawId}"]`, { hasText: '马王堆' });
    await task.waitFor();
    await task.getByLabel('不合规', { exact: true }).check();
    await task.getByLabel('检查发现').fill('摊位未亮证，现场无合格证');
    await task.getByLabel('涉及批次（不合规时填写即立案）').fill(lotId);
    await task.getByRole('button', { name: '记录并完成任务' }).click();
    await expect.poll(() => task.getAttribute('data-status')).toBe('done');
    expect(await task.locator('.findings').textContent()).toContain('已立案');
    await inspector.screenshot({ path: screenshotPath('inspection-task.png'), fullPage: true });
  });

  it('the region’s regulator filters the queue by reason, takes the violation on and records its disposition', async () => {
    const page = await world.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await logInAt(page, world.consoleUrl, '/regulator', 'hunan_regulator');
    await page.getByLabel('原因代码').fill('CROSS_INSPECTION');
    await page.getByRole('button', { name: '筛选' }).click();
    const row = page.locator('table.violations tbody tr', { hasText: '菜心（抽检）' });
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    const card = page.locator('article.violation');
    await card.waitFor();
    expect(await card.textContent()).toContain('未指派');
    await card.getByRole('button', { name: '指派给我' }).click();
    await expect.poll(() => card.locator('.hint').first().textContent()).toContain('承办人 #');
    await expect.poll(() => card.locator('.trail').textContent()).toContain('assigned to hunan_regulator');
    // the trail says who did each step: the finding's inspector and the regulator who took it on
    expect(await card.locator('.trail').textContent()).toContain('株洲');
    expect(await card.locator('.trail').textContent()).toContain('湖南省市场监管局');
    await card.getByLabel('处置情况').fill('就地封存待检');
    await card.getByRole('button', { name: '记录处置' }).click();
    await expect.poll(() => card.locator('.dispositions').textContent()).toContain('就地封存待检');
    await page.screenshot({ path: screenshotPath('inspection-violation.png'), fullPage: true });
  });
});
