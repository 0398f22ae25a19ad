import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceHeaders, openLots, scanBody } from '../faults/real-server.ts';
import {
  type ConsoleInChromium,
  certificatesOf,
  demoPassword,
  describeInChromium,
  screenshotPath,
  sessionHeaders,
  smallTargets,
  startConsole,
} from './browser.ts';

/** The demo cooperative (宁乡市绿源蔬菜种植专业合作社) issues its day at 马王堆, where the demo gate scans it. */
describeInChromium('the producer screen in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;
  const producer = 'lvyuan_coop';

  beforeAll(async () => {
    world = await startConsole();
    page = await world.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  /** The producer's certificates as the server lists them, newest first. */
  const listed = () => certificatesOf(world.server.url, producer);
  const line = (n: number) => page.locator(`.issue-line[data-line="${n}"]`);
  const card = (id: string) => page.locator(`.issued-certificates article[data-certificate="${id}"]`);

  async function fillLine(n: number, productCode: number, quantity: string, count: string) {
    await line(n).locator('select').first().selectOption(String(productCode));
    await line(n).getByLabel('每份数量', { exact: true }).fill(quantity);
    await line(n).getByLabel('份数', { exact: true }).fill(count);
  }

  it('lands a producer on the producer screen, not on the stall’s repack form', async () => {
    await page.goto(`${world.consoleUrl}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('用户名').fill(producer);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/producer$/);
    await expect.poll(() => page.locator('.issuer-card').textContent()).toContain('绿源');
    // the top bar's menu offers the producer's own page, not the stall's
    await page.getByRole('button', { name: '菜单' }).click();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['开证', '亮证查询']);
    expect(await nav.getByRole('link', { name: '摊位开证' }).count()).toBe(0);
    await page.keyboard.press('Escape');
  }, 60_000);

  it('issues one certificate in the 2026 template and shows its QR', async () => {
    const before = (await listed()).length;
    await fillLine(1, 1001, '500', '1');
    await page.getByRole('button', { name: '开具 1 份合格证' }).click();
    const made = page.locator('.made');
    await expect.poll(() => made.locator('h2').textContent()).toBe('已开具 1 份合格证');
    const qr = made.locator('img.qr');
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(100);
    const after = await listed();
    expect(after).toHaveLength(before + 1);
    const [issued] = after;
    expect([issued!.productCode, issued!.quantity, issued!.unit, issued!.kind]).toEqual([
      1001,
      500,
      'kg',
      'producer',
    ]);
    expect(await made.locator('.certificate-id').textContent()).toBe(issued!.id);
    await expect.poll(() => card(issued!.id).textContent()).toContain('已用 0 / 500 千克');
    expect(await card(issued!.id).textContent()).toContain('有效');
  }, 60_000);

  it('issues a day’s batch of 3 certificates across two products, all at once', async () => {
    const before = (await listed()).map((c) => c.id);
    await fillLine(1, 1001, '300', '2');
    await page.getByRole('button', { name: '再加一种货品' }).click();
    await fillLine(2, 1002, '40', '1');
    await page.getByRole('button', { name: '开具 3 份合格证' }).click();
    await expect.poll(() => page.locator('.made h2').textContent()).toBe('已开具 3 份合格证');
    const made = (await listed()).filter((c) => !before.includes(c.id));
    expect(made.map((c) => [c.productCode, c.quantity, c.unit]).sort()).toEqual([
      [1001, 300, 'kg'],
      [1001, 300, 'kg'],
      [1002, 40, 'kg'],
    ]);
    expect(await page.locator('.made .made-one').count()).toBe(3);
    // The form starts the next issuing empty.
    expect(await page.locator('.issue-line').count()).toBe(1);
    expect(await line(1).getByLabel('每份数量').inputValue()).toBe('');
  }, 60_000);

  it('prints the label as HTML with as many pages as copies asked for', async () => {
    const first = page.locator('.made .made-one').first();
    await first.getByLabel('打印张数').fill('3');
    await first.getByRole('button', { name: '打印' }).click();
    const frame = page.locator('iframe.print-frame').last();
    await frame.waitFor({ state: 'attached' });
    const src = (await frame.getAttribute('src'))!;
    expect(src).toMatch(/\/label\?format=html&size=60x40&copies=3$/);
    const html = await (
      await fetch(`${world.server.url}${src}`, { headers: await sessionHeaders(world.server.url, producer) })
    ).text();
    expect(html.match(/<main class="label"/g)).toHaveLength(3);
    expect(html).toContain('样式一');
    expect(page.url()).toMatch(/\/producer$/);
  }, 60_000);

  it('voids a certificate only with a reason, and says why it is void', async () => {
    const target = (await listed()).find((c) => c.quantity === 500)!;
    const row = card(target.id);
    await row.getByRole('button', { name: '作废', exact: true }).click();
    await row.getByRole('button', { name: '确认作废' }).click();
    await expect.poll(() => row.getByRole('alert').textContent()).toContain('请填写作废原因');
    const stillValid = await fetch(`${world.server.url}/api/v1/certificates/${target.id}`, {
      headers: await sessionHeaders(world.server.url, producer),
    });
    expect(((await stillValid.json()) as { status: string }).status).toBe('valid');

    await row.getByLabel('作废原因（必填）').fill('数量填错，重新开具');
    await row.getByRole('button', { name: '确认作废' }).click();
    await expect.poll(() => row.textContent()).toContain('作废原因：数量填错，重新开具');
    expect(await row.locator('.state').textContent()).toBe('已作废');
    expect((await listed()).map((c) => c.id)).not.toContain(target.id);
  }, 60_000);

  it('says in Chinese why a product retired while the form was open cannot be issued, and issues nothing', async () => {
    const before = (await listed()).length;
    await fillLine(1, 1004, '20', '1');
    // The administrator retires 香菇 after the producer's screen read the catalogue.
    const login = await fetch(`${world.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'fault-test-admin' }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const retired = await fetch(`${world.server.url}/api/v1/products/1004/deactivate`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(retired.status).toBe(200);
    await page.getByRole('button', { name: '开具 1 份合格证' }).click();
    const alert = page.locator('.issue-form').getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('开证主体或所选产品已停用，请联系市场管理员');
    expect(await listed()).toHaveLength(before);
    await page.reload();
  }, 60_000);

  it('shows where and when the gate scanned a certificate, in the gate’s colours and Beijing time', async () => {
    const cabbage = (await listed()).find((c) => c.quantity === 300)!;
    // A 10 kg lot of 大白菜 at the demo gate: the 300 kg certificate covers it.
    const { lots, gateId } = await openLots(world.server.url, 1);
    const scanned = await fetch(`${world.server.url}/api/v1/scans`, {
      method: 'POST',
      headers: deviceHeaders,
      body: scanBody(randomUUID(), lots[0]!, gateId, cabbage.code),
    });
    expect(scanned.status).toBe(200);
    const answer = (await scanned.json()) as { receivedAt: string; verdict: { outcome: string } };
    expect(answer.verdict.outcome).toBe('accept');

    // The screen reads its list, with each certificate's use and scans, in one request: none per certificate.
    const asked: string[] = [];
    const record = (request: { url(): string }) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/v1/')) asked.push(path);
    };
    page.on('request', record);
    await page.reload();
    const scans = card(cabbage.id).locator('.scan-list li');
    await expect.poll(() => scans.count()).toBe(1);
    page.off('request', record);
    const shown = await page.locator('.issued-certificates article[data-certificate]').count();
    expect(shown).toBeGreaterThan(3);
    expect(asked.filter((path) => path === '/api/v1/producer/certificates')).toHaveLength(1);
    expect(asked.filter((path) => path.startsWith('/api/v1/certificates'))).toEqual([]);
    const chip = scans.first().locator('.outcome-chip');
    expect(await chip.textContent()).toBe('通过');
    expect(await chip.evaluate((e) => e.ownerDocument.defaultView?.getComputedStyle(e).backgroundColor)).toBe(
      'rgb(23, 128, 58)',
    );
    const text = (await scans.first().textContent())!;
    expect(text).toContain('长沙马王堆蔬菜批发市场');
    expect(text).toContain('东门 1 号道口');
    const beijing = new Date(answer.receivedAt).toLocaleString('zh-CN', {
      timeZone: 'Asia/Shanghai',
      hour12: false,
    });
    expect(text).toContain(beijing);
    expect(await card(cabbage.id).textContent()).toContain('已用 10 / 300 千克');
  }, 60_000);

  it('fits a 390 px phone with gloved-finger targets', async () => {
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(
      await smallTargets(page, '.producer button, .producer a, .producer input, .producer select'),
    ).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: screenshotPath('producer-phone.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page
      .locator('article:has(.scan-list)')
      .first()
      .evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('producer-screen.png') });
  }, 60_000);
});
