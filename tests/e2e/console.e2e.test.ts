import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceHeaders, scanBody } from '../faults/real-server.ts';
import {
  type ConsoleInChromium,
  certificatesOf,
  contrastOf,
  describeInChromium,
  logInAt,
  screenshotPath,
  sessionHeaders,
  smallTargets,
  startConsole,
} from './browser.ts';

/** The gate screen and the public page, in chromium against the real server (setup in browser.ts). */
describeInChromium('console end to end in chromium', () => {
  let world: ConsoleInChromium;
  let consoleUrl = '';
  let server: ConsoleInChromium['server'];
  let page: Page;

  beforeAll(async () => {
    world = await startConsole();
    ({ consoleUrl, server } = world);
    page = await world.browser.newPage({ viewport: { width: 1024, height: 900 }, locale: 'zh-CN' });
  }, 90_000);

  afterAll(async () => {
    await world?.close();
  });

  it('logs in as the demo gate staff, checks a demo code green and shows a live scan verdict', async () => {
    const [certificate] = await certificatesOf(server.url, 'lvyuan_coop');
    expect(certificate).toBeDefined();

    await logInAt(page, consoleUrl, '/gate', 'mawangdui_gate');

    // The demo device's gate, so its scans reach this screen through the gate room.
    const device = await fetch(`${server.url}/api/v1/lots`, {
      method: 'POST',
      headers: deviceHeaders,
      body: JSON.stringify({
        declaration: { productName: '大白菜', category: 'vegetable', quantity: 10, unit: 'kg' },
      }),
    });
    const { lot } = (await device.json()) as { lot: { id: string; gateId: number } };
    const gates = (await (
      await fetch(`${server.url}/api/v1/gates`, {
        headers: await sessionHeaders(server.url, 'mawangdui_gate'),
      })
    ).json()) as { id: number; name: string }[];
    const gateName = gates.find((g) => g.id === lot.gateId)?.name;
    expect(gateName).toBeDefined();
    await page.getByRole('button', { name: gateName, exact: true }).click();
    await page.locator('.feed-live').waitFor();

    await page.getByLabel('合格证码').fill(certificate!.code);
    await page.getByRole('button', { name: '核验' }).click();
    const panel = page.locator('output.verdict');
    await expect.poll(() => panel.getAttribute('data-outcome')).toBe('accept');
    expect(await panel.textContent()).toContain('通过');
    expect(
      await panel.evaluate((e) => e.ownerDocument.defaultView?.getComputedStyle(e).backgroundColor),
    ).toBe('rgb(23, 128, 58)');

    // A device scan of an unreadable code: the server judges it and the gate room turns the screen amber.
    const scan = await fetch(`${server.url}/api/v1/scans`, {
      method: 'POST',
      headers: deviceHeaders,
      body: scanBody(randomUUID(), lot.id, lot.gateId, 'not a certificate'),
    });
    expect(scan.status).toBe(200);
    await expect.poll(() => panel.getAttribute('data-outcome'), { timeout: 10_000 }).not.toBe('accept');
    const outcome = await panel.getAttribute('data-outcome');
    expect(['review', 'reject']).toContain(outcome);
    // Read at a glance in a dark gateway: the verdict's words stand out from its colour (WCAG AA, 4.5:1).
    expect(await contrastOf(page, 'output.verdict')).toBeGreaterThanOrEqual(4.5);
    expect(await panel.locator('.verdict-reason').textContent()).toBeTruthy();

    await page.getByLabel('合格证码').fill(certificate!.code);
    await page.getByRole('button', { name: '核验' }).click();
    await expect.poll(() => panel.getAttribute('data-outcome')).toBe('accept');
    expect(await contrastOf(page, 'output.verdict')).toBeGreaterThanOrEqual(4.5);
    // Gloves at 4 am: every control on the gate screen is at least 48 × 48 px.
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('gate-screen.png'), fullPage: false });
  }, 60_000);

  it('shows the public verification of the demo repack certificate with its source', async () => {
    const repack = (await certificatesOf(server.url, 'vendor_a01')).find((c) => c.kind === 'repack');
    expect(repack).toBeDefined();
    const path = repack!.code.replace(/^https?:\/\/[^/]+\/V\//i, '');

    const serverPage = await fetch(`${server.url}/V/${path}`);
    expect(serverPage.status).toBe(200);

    const publicPage = await world.browser.newPage({
      viewport: { width: 480, height: 900 },
      locale: 'zh-CN',
    });
    await publicPage.goto(`${consoleUrl}/verify/${path}`);
    const panel = publicPage.locator('output.verdict');
    await expect.poll(() => panel.getAttribute('data-outcome')).toBe('accept');
    expect(await publicPage.locator('.certificate').textContent()).toContain(repack!.productName);
    expect(await publicPage.locator('.certificate').textContent()).toContain('来源合格证');
    expect(await panel.textContent()).toContain('有效');
    await publicPage.screenshot({ path: screenshotPath('verify-page.png'), fullPage: true });
    await publicPage.close();
  }, 30_000);
});
