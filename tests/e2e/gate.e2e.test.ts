import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConsoleInChromium,
  describeInChromium,
  logInAt,
  screenshotPath,
  sessionHeaders,
  startConsole,
} from './browser.ts';

/**
 * The gate screen as a gate worker uses it, in chromium against the real server: each test reproduces one failure
 * of the issue "the gate screen never shows a wrong or stale verdict, and never loses a scan".
 */
describeInChromium('the gate screen never misleads and never loses a scan', () => {
  let world: ConsoleInChromium;
  let context: BrowserContext;
  let page: Page;
  let producer: { headers: Record<string, string>; issuerId: number };
  let staff: Record<string, string>;

  beforeAll(async () => {
    world = await startConsole();
    const url = world.server.url;
    const coop = await sessionHeaders(url, 'lvyuan_coop');
    const me = (await (await fetch(`${url}/api/v1/auth/me`, { headers: coop })).json()) as {
      scope: { issuerId: number };
    };
    producer = { headers: { ...coop, 'content-type': 'application/json' }, issuerId: me.scope.issuerId };
    staff = await sessionHeaders(url, 'mawangdui_gate');
    const [gate] = (await (await fetch(`${url}/api/v1/gates`, { headers: staff })).json()) as {
      name: string;
    }[];
    context = await world.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    // Counts the tones the screen plays: each verdict is one tone (one oscillator for 通过).
    await context.addInitScript(`
      window.tones = 0;
      const original = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function () {
        window.tones += 1;
        return original.call(this);
      };
    `);
    page = await context.newPage();
    await logInAt(page, world.consoleUrl, '/gate', 'mawangdui_gate');
    await page.getByRole('button', { name: gate!.name, exact: true }).click();
    await page.locator('.feed-live').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  /** A fresh 大白菜 certificate of the demo cooperative, so no test runs out of another's quantity. */
  async function issueCode(fields: Record<string, unknown> = {}): Promise<string> {
    const issued = await fetch(`${world.server.url}/api/v1/certificates`, {
      method: 'POST',
      headers: producer.headers,
      body: JSON.stringify({
        issuerId: producer.issuerId,
        productCode: 1001,
        quantity: 5000,
        unit: 'kg',
        originRegion: '430121',
        basis: 'self_tested',
        ...fields,
      }),
    });
    expect(issued.status, await issued.clone().text()).toBe(201);
    return ((await issued.json()) as { certificate: { code: string } }).certificate.code;
  }

  /** A keyboard-wedge scanner: the whole code in a few milliseconds per key, then Enter, wherever the focus is. */
  async function wedgeScan(text: string) {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  async function lotsNow(): Promise<
    {
      id: string;
      plate: string;
      productName: string;
      status: string;
      outcome: string | null;
      documents: unknown[];
    }[]
  > {
    const res = await fetch(`${world.server.url}/api/v1/lots?limit=20`, { headers: staff });
    return res.json() as never;
  }

  const verdict = () => page.locator('.gate output.verdict');
  const outcome = () => verdict().getAttribute('data-outcome');
  const field = (label: string) => page.locator('.lot-form').getByLabel(label, { exact: true });

  /** Registers a truck through the form, pressing Enter in 数量 as gate workers do; waits until the server has it. */
  async function registerWithEnter(plate: string, product: string, quantity: string) {
    await field('车牌').fill(plate);
    await field('产品名称').fill(product);
    await field('数量').fill(quantity);
    await field('数量').press('Enter');
    await registered(plate);
  }

  async function registered(plate: string) {
    await expect.poll(async () => (await lotsNow()).some((lot) => lot.plate === plate)).toBe(true);
  }

  /** The code field, focused by hand: for tests about what happens after a scan, not where it lands. */
  const focusCode = () => page.locator('input[name="code"]').focus();

  it('catches a wedge scan wherever the focus is, and registering empties the form and hands focus to the code field', async () => {
    const code = await issueCode();
    await registerWithEnter('湘A·10001', '大白菜', '100');
    // Before: focus stayed in 数量 and the next truck's form kept this one's plate and product.
    expect(await page.evaluate<string | undefined>('document.activeElement?.name')).toBe('code');
    expect(await field('车牌').inputValue()).toBe('');
    expect(await field('产品名称').inputValue()).toBe('');
    expect(await field('数量').inputValue()).toBe('');
    // The verdict names the truck it waits for by plate and product.
    expect(await verdict().textContent()).toContain('湘A·10001 · 大白菜');

    // A worker taps 数量 (as the old screen left it) and the scanner fires: the scan is judged, 数量 stays empty.
    await field('数量').click();
    await wedgeScan(code);
    await expect.poll(outcome).toBe('accept');
    expect(await verdict().textContent()).toContain('湘A·10001 · 大白菜');
    expect(await field('数量').inputValue()).toBe('');
    expect(await page.evaluate<string | undefined>('document.activeElement?.name')).toBe('code');
  }, 60_000);

  it('judges the next code on its own: an accepted lot is never judged again, a 无合格证 truck inherits nothing', async () => {
    const code = await issueCode();
    await registerWithEnter('湘A·10002', '大白菜', '100');
    await focusCode();
    await wedgeScan(code);
    await expect.poll(outcome).toBe('accept');
    const accepted = (await lotsNow()).find((lot) => lot.plate === '湘A·10002');
    expect(accepted).toMatchObject({ outcome: 'accept' });

    // A tampered code right after: before, it was judged against the accepted lot and flipped it to 拒绝.
    const tampered = `${code.slice(0, -3)}${code.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;
    await wedgeScan(tampered);
    await expect.poll(outcome).not.toBe('accept');
    expect(await verdict().textContent()).toContain('仅核验');
    const after = (await lotsNow()).find((lot) => lot.id === accepted!.id);
    expect(after).toMatchObject({ outcome: 'accept' });

    // A truck with no certificate, registered next: before, it was stored as the previous truck's product.
    await page.getByRole('button', { name: '无合格证' }).click();
    await expect.poll(outcome).toBe('reject');
    const [missing] = await lotsNow();
    expect(missing).toMatchObject({ plate: '', productName: '未申报' });
  }, 60_000);

  it('lists each scan once and plays its tone once, although the POST answer and the live event both carry it', async () => {
    const code = await issueCode();
    await registerWithEnter('湘A·10003', '大白菜', '100');
    const listed = await page.locator('.recent li').count();
    const tones = await page.evaluate<number>('window.tones');
    await focusCode();
    await wedgeScan(code);
    await expect.poll(outcome).toBe('accept');
    // Long enough for the gate room's live event of the same scan to arrive.
    await page.waitForTimeout(2_000);
    expect(await page.locator('.recent li').count()).toBe(listed + 1);
    expect(await page.evaluate<number>('window.tones')).toBe(tones + 1);
  }, 60_000);

  it('keeps a truck short of its quantity in 继续扫码 with its coverage until 本车扫完 closes it', async () => {
    const code = await issueCode({ quantity: 200 });
    await registerWithEnter('湘A·10004', '大白菜', '300');
    await wedgeScan(code);
    await expect.poll(outcome).toBe('pending');
    expect(await verdict().textContent()).toContain('已核 200/300 千克，继续扫码');
    expect(await verdict().textContent()).toContain('湘A·10004 · 大白菜');
    await page.locator('.current-lot').getByRole('button', { name: '本车扫完，结束核验' }).click();
    await expect.poll(outcome).toBe('reject');
    expect(await page.locator('.current-lot').count()).toBe(0);
    expect((await lotsNow()).find((lot) => lot.plate === '湘A·10004')).toMatchObject({ status: 'closed' });
  }, 60_000);

  it('keeps the verdict in view after registering, at 1024×600, 1366×768 and 390×844, without overflowing a phone', async () => {
    for (const [width, height] of [
      [1024, 600],
      [1366, 768],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      const code = await issueCode();
      const plate = `湘A·2${width}`;
      await field('车牌').scrollIntoViewIfNeeded();
      await field('车牌').fill(plate);
      await field('产品名称').fill('大白菜');
      await field('数量').fill('50');
      await page.getByRole('button', { name: '登记', exact: true }).click();
      await registered(plate);
      await focusCode();
      await wedgeScan(code);
      await expect.poll(outcome).not.toBe('waiting');
      expect(await outcome(), (await verdict().textContent()) ?? '').toBe('accept');
      const box = await verdict().boundingBox();
      // Before: only a 20 px strip of the verdict showed after registering.
      expect(box, `${width}×${height}`).not.toBeNull();
      expect(box!.y, `${width}×${height}`).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, `${width}×${height}`).toBeLessThanOrEqual(height);
      expect(box!.height, `${width}×${height}`).toBeGreaterThanOrEqual(120);
      const pageWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
      // Before: 707 px wide on a 390 px phone.
      expect(pageWidth, `${width}×${height}`).toBeLessThanOrEqual(width);
      if (width === 390) await page.screenshot({ path: screenshotPath('gate-phone.png') });
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  }, 120_000);

  it('replaces the verdict with a full-screen 网络断开 when the server is unreachable, and sends the kept scan once it is back', async () => {
    const first = await issueCode();
    await focusCode();
    await wedgeScan(first);
    await expect.poll(outcome).toBe('accept');
    await registerWithEnter('湘A·10005', '大白菜', '100');
    const second = await issueCode();

    await focusCode();
    await context.setOffline(true);
    try {
      await wedgeScan(second);
      // Before: the previous truck's green 通过 stayed up and the failed code stayed in the field.
      await page.locator('.network-down').waitFor({ timeout: 10_000 });
      expect(await page.locator('.network-down').textContent()).toContain('网络断开');
      expect(await page.locator('[data-outcome="accept"]').count()).toBe(0);
      expect(await page.locator('input[name="code"]').inputValue()).toBe('');
      expect(await page.locator('body').textContent()).not.toContain('NETWORK');
      expect(await page.locator('.network-down').textContent()).toContain('1 次扫码待补发');
      await page.screenshot({ path: screenshotPath('gate-network-down.png') });
    } finally {
      await context.setOffline(false);
    }
    // The kept scan goes out with its scanId once the server answers: the truck's verdict, named by its plate.
    await page.locator('.network-down').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(outcome, { timeout: 10_000 }).toBe('accept');
    expect(await verdict().textContent()).toContain('湘A·10005');
    expect((await lotsNow()).find((lot) => lot.plate === '湘A·10005')).toMatchObject({ outcome: 'accept' });
  }, 60_000);

  it('returns to 等待扫码 after the time the gate configured', async () => {
    await page.locator('details.settings summary').click();
    await page.getByLabel('结果显示时长（秒），之后回到等待扫码').fill('2');
    const code = await issueCode();
    await page.locator('input[name="code"]').focus();
    await wedgeScan(code);
    await expect.poll(outcome).not.toBe('waiting');
    await expect.poll(outcome, { timeout: 6_000 }).toBe('waiting');
    await page.getByLabel('结果显示时长（秒），之后回到等待扫码').fill('30');
  }, 30_000);

  it('gives a review verdict 放行 and 扣留 buttons; clearing asks for the quantity each certificate covers', async () => {
    for (const [plate, decision] of [
      ['湘A·10006', '放行'],
      ['湘A·10007', '扣留'],
    ] as const) {
      const code = await issueCode();
      await field('车牌').fill(plate);
      await field('产品名称').fill('大白菜');
      await field('数量').fill('100');
      await page.locator('.lot-form select[name="unit"]').selectOption('box');
      await page.getByRole('button', { name: '登记', exact: true }).click();
      await registered(plate);
      await focusCode();
      await wedgeScan(code);
      await expect.poll(outcome).toBe('review');
      const review = page.locator('form.review');
      await review.waitFor();
      expect(await review.textContent()).toContain(plate);
      if (decision === '放行') {
        // 100 箱 against a certificate in kg: the reviewer says what the boxes weigh.
        await review.locator('input[type="number"]').fill('100');
      }
      await review.getByRole('button', { name: decision, exact: true }).click();
      await expect.poll(() => page.locator('p.notice').textContent()).toContain(plate);
      const decided = (await lotsNow()).find((lot) => lot.plate === plate);
      expect(decided).toMatchObject({ status: 'closed', outcome: decision === '放行' ? 'accept' : 'reject' });
    }
  }, 60_000);

  it('takes a paper certificate with a photo, and second documents after the lot was registered', async () => {
    await field('车牌').fill('湘A·10008');
    await field('产品名称').fill('大白菜');
    await field('数量').fill('30');
    await page.getByLabel('有纸质合格证').check();
    const paper = page.locator('fieldset.paper');
    await paper.getByLabel('产品名称').fill('大白菜');
    await paper.getByLabel('数量').fill('30');
    await paper.getByLabel('产地').fill('湖南宁乡');
    await paper.getByLabel('开具主体').fill('宁乡市绿源蔬菜种植专业合作社');
    await paper.getByLabel('联系方式').fill('0731-87862210');
    await paper.getByLabel('开具日期').fill(new Date().toISOString().slice(0, 10));
    expect(await paper.locator('input[type="file"]').getAttribute('capture')).toBe('environment');
    // A camera-sized picture drawn by the browser itself, as the phone's camera would hand it over.
    const png = await page.evaluate<string>(`(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 2000;
      canvas.height = 1500;
      const draw = canvas.getContext('2d');
      draw.fillStyle = '#fff';
      draw.fillRect(0, 0, 2000, 1500);
      draw.fillStyle = '#000';
      draw.font = '80px sans-serif';
      draw.fillText('食用农产品承诺达标合格证', 100, 200);
      return canvas.toDataURL('image/png').split(',')[1];
    })()`);
    await paper.locator('input[type="file"]').setInputFiles({
      name: 'paper.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png, 'base64'),
    });
    await paper.getByText('照片已就绪').waitFor();
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(outcome).toBe('review');
    const [withPaper] = await lotsNow();
    expect(withPaper).toMatchObject({
      plate: '湘A·10008',
      documents: [{ type: 'paper', hasPhoto: true }],
    });

    // A livestock truck whose quarantine certificate turns up after it was registered.
    await registerWithEnter('湘A·10009', '生猪', '2');
    const today = page.locator('section.today');
    const row = today.locator('li', { hasText: '湘A·10009' });
    await row.getByRole('button', { name: '补录证明' }).click();
    await row.getByLabel('证明类型').selectOption('animal_quarantine');
    await row.getByLabel('证明编号').fill('4301020260315001');
    await row.getByRole('button', { name: '添加证明' }).click();
    await row.getByRole('button', { name: '保存证明' }).click();
    await expect.poll(() => page.locator('p.notice').textContent()).toContain('已补录证明');
    const livestock = (await lotsNow()).find((lot) => lot.plate === '湘A·10009');
    expect(livestock?.documents).toMatchObject([
      { type: 'second_document', secondKind: 'animal_quarantine' },
    ]);
  }, 60_000);

  it('finds today’s trucks at this gate by plate', async () => {
    const today = page.locator('section.today');
    await today.getByLabel('搜索车牌、产品或供货方').fill('湘A·10006');
    await expect.poll(() => today.locator('li').count()).toBe(1);
    expect(await today.locator('li').textContent()).toContain('湘A·10006');
    await today.getByLabel('搜索车牌、产品或供货方').fill('');
  }, 30_000);

  it('says what it means: 已登记 is not an error, a national code cannot be verified online, focus is visible', async () => {
    await registerWithEnter('湘A·10010', '大白菜', '10');
    const notice = page.locator('p', { hasText: '已登记' });
    // Before: 已登记 showed in the red error style.
    expect(await notice.getAttribute('class')).not.toContain('problem');
    const red = await notice.evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).color);
    expect(red).not.toBe('rgb(198, 40, 40)');
    await page.locator('.current-lot').getByRole('button', { name: '本车扫完，结束核验' }).click();
    await expect.poll(outcome).not.toBe('waiting');

    // A 22-digit national traceability number, checked with no truck registered.
    await page.locator('input[name="code"]').focus();
    await wedgeScan('4301021262603150000123');
    await expect.poll(outcome).toBe('review');
    expect(await verdict().textContent()).toContain('无法在线核验');
    expect(await verdict().textContent()).not.toContain('无法识别');

    // A focus ring the worker can see from the cab: at least 3 px.
    await page.locator('input[name="code"]').focus();
    const ring = await page.locator('input[name="code"]').evaluate((e) => {
      const style = e.ownerDocument.defaultView!.getComputedStyle(e);
      return [style.outlineStyle, Number.parseFloat(style.outlineWidth)] as const;
    });
    expect(ring[0]).not.toBe('none');
    expect(ring[1]).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('shows a 404 page and a no-access page instead of blank screens', async () => {
    await page.goto(`${world.consoleUrl}/no-such-screen`);
    await page.getByRole('heading', { name: '找不到这个页面' }).waitFor();
    const vendor = await world.browser.newPage({ locale: 'zh-CN' });
    await logInAt(vendor, world.consoleUrl, '/stall', 'vendor_a01');
    await vendor.goto(`${world.consoleUrl}/gate`);
    await vendor.getByRole('heading', { name: '无权访问' }).waitFor();
    await vendor.close();
  }, 30_000);
});
