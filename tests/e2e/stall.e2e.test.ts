import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

/** 1 mm in PDF points. */
const point = 72 / 25.4;

/** What a label PDF says about itself: its header, trailer and every page's MediaBox in points. */
function pdfPages(bytes: Buffer): { header: string; ends: boolean; mediaBoxes: number[][] } {
  // pdfkit writes page dictionaries uncompressed; only the content streams are deflated.
  const text = bytes.toString('latin1');
  return {
    header: text.slice(0, 5),
    ends: text.trimEnd().endsWith('%%EOF'),
    mediaBoxes: [...text.matchAll(/\/MediaBox\s*\[([^\]]+)\]/g)].map((m) =>
      m[1]!.trim().split(/\s+/).map(Number),
    ),
  };
}

/** A vendor at 马王堆 issues a repack certificate from a producer's certificate and prints its labels. */
describeInChromium('the stall face in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;
  let parent: ListedCertificate;
  /** what the source had left before this file issued from it, as the screen said */
  let leftBefore = 0;

  beforeAll(async () => {
    world = await startConsole();
    const cabbage = (await certificatesOf(world.server.url, 'lvyuan_coop')).find(
      (c) => c.productName === '大白菜' && c.kind === 'producer',
    );
    expect(cabbage, 'the demo 大白菜 certificate of 绿源合作社').toBeDefined();
    parent = cabbage!;
    page = await world.browser.newPage({ viewport: { width: 1024, height: 1100 }, locale: 'zh-CN' });
    await logInAt(page, world.consoleUrl, '/stall', 'vendor_a01');
  }, 90_000);

  afterAll(async () => {
    await world?.close();
  });

  async function fillRepack(parentCode: string, parentQuantity: number, quantity: number) {
    await page.getByLabel('来源合格证码或编号').fill(parentCode);
    await page.getByLabel('使用数量').fill(String(parentQuantity));
    await page.getByLabel('产品代码').fill(String(parent.productCode));
    await page.getByLabel('产品名称').fill('精品大白菜');
    await page.getByLabel('数量', { exact: true }).fill(String(quantity));
    await page.getByRole('button', { name: '开具', exact: true }).click();
  }

  it('says in Chinese that a parent code cannot be read, and issues nothing', async () => {
    await fillRepack('这不是合格证', 10, 10);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('来源合格证无法识别');
    expect(await page.locator('.issued').count()).toBe(0);
    // Said under the field too, as soon as the vendor left it.
    await page.locator('.parent-info.problem').waitFor();
  }, 30_000);

  it('says in Chinese that a split takes more than the parent has left', async () => {
    await fillRepack(parent.code, parent.quantity * 10, 10);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('剩余数量不足');
    expect(await page.locator('.issued').count()).toBe(0);
    // Leaving the field named the source and what is left of it, before 开具 was pressed.
    const info = page.locator('.parent-info');
    await expect.poll(() => info.textContent()).toContain('宁乡市绿源蔬菜种植专业合作社');
    leftBefore = Number((await info.textContent())?.match(/剩余 (\d+(\.\d+)?)/)?.[1]);
    expect(leftBefore).toBeGreaterThan(50);
  }, 30_000);

  it('issues a repack from a scanned parent code and shows its QR', async () => {
    await fillRepack(parent.code, 50, 50);
    const issued = page.locator('.issued');
    await issued.waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await issued.textContent()).toContain('精品大白菜');
    const qr = issued.locator('img.qr');
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(100);
    // The code under the QR is the one the vendor's list and the public page know.
    const code = await issued.locator('.code').textContent();
    expect(await issued.textContent()).toMatch(/编号\s*[0-9a-f]{16}/);
    expect(code).toMatch(/\/V\//);
    expect((await certificatesOf(world.server.url, 'vendor_a01')).map((c) => c.code)).toContain(code);
    // The source is read again after issuing: 50 of it went into the new certificate.
    await expect.poll(() => page.locator('.parent-info').textContent()).toContain(`剩余 ${leftBefore - 50} `);
    // The new QR is scrolled into view below the long form: the vendor's next step is printing.
    const inView = async () => {
      const box = await issued.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= page.viewportSize()!.height;
    };
    await expect.poll(inView).toBe(true);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('stall-screen.png'), fullPage: false });
  }, 30_000);

  it('downloads real label PDFs of 60×40 and 60×80 mm with the session', async () => {
    const issued = page.locator('.issued');
    for (const [size, height] of [
      ['60×40', 40],
      ['60×80', 80],
    ] as const) {
      const href = await issued.getByRole('link', { name: `预览 ${size}` }).getAttribute('href');
      expect(href).toBeTruthy();
      // The page's own request context carries the browser's session cookie, as the link does.
      const response = await page.request.get(new URL(href!, world.consoleUrl).toString());
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('application/pdf');
      const pdf = pdfPages(await response.body());
      expect(pdf.header).toBe('%PDF-');
      expect(pdf.ends).toBe(true);
      expect(pdf.mediaBoxes).toHaveLength(1);
      const [x0, y0, width, heightPt] = pdf.mediaBoxes[0]!;
      expect([x0, y0]).toEqual([0, 0]);
      expect(width).toBeCloseTo(60 * point, 1);
      expect(heightPt).toBeCloseTo(height * point, 1);
    }
  }, 30_000);

  it('prints a label from a hidden frame holding its PDF, staying on the stall screen', async () => {
    await page.locator('.issued').getByRole('button', { name: '打印 60×80' }).click();
    const frame = page.locator('iframe.print-frame');
    await frame.waitFor({ state: 'attached' });
    expect(await frame.getAttribute('src')).toMatch(/\/label\.pdf\?size=60x80$/);
    expect(page.url()).toMatch(/\/stall$/);
  }, 30_000);

  it('fills the product code, name and unit from the scanned parent, leaving the vendor less to type', async () => {
    await page.reload();
    const parentField = page.getByLabel('来源合格证码或编号');
    await parentField.fill(parent.code);
    await parentField.press('Tab');
    await expect.poll(() => page.getByLabel('产品代码').inputValue()).toBe(String(parent.productCode));
    expect(await page.getByLabel('产品名称').inputValue()).toBe(parent.productName);
    expect(await page.getByLabel('单位').inputValue()).toBe(parent.unit);
  }, 30_000);
});
