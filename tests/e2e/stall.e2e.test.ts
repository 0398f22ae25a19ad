import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConsoleInChromium,
  certificatesOf,
  describeInChromium,
  logInAt,
  screenshotPath,
  sessionHeaders,
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

/** A vendor at 马王堆 repacks goods from the stall's inventory (docs/custody.md) and prints its labels. */
describeInChromium('the stall face in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;

  beforeAll(async () => {
    world = await startConsole();
    page = await world.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await logInAt(page, world.consoleUrl, '/stall', 'vendor_a01');
  }, 90_000);

  afterAll(async () => {
    await world?.close();
  });

  const inventory = () => page.locator('table.inventory');
  /** The demo's accepted 大白菜 lot at A-01: 300 kg received, 200 kg already repacked. */
  const cabbageRow = () =>
    inventory()
      .locator('tr', { hasText: '宁乡市绿源蔬菜种植专业合作社' })
      .filter({ hasText: '300 千克' })
      .first();

  async function fillRepack(take: number, outputs: number[]) {
    await cabbageRow().getByRole('button', { name: '选用' }).click();
    await page.getByLabel('取用数量').fill(String(take));
    for (let i = 1; i < outputs.length; i++) await page.getByRole('button', { name: '再开一份' }).click();
    const quantities = page.getByLabel('数量', { exact: true });
    for (const [i, quantity] of outputs.entries()) await quantities.nth(i).fill(String(quantity));
  }

  it('shows the stall’s goods with the source, what is left, the date and the state, on a 390 px phone', async () => {
    await cabbageRow().waitFor();
    const headers = await inventory().locator('th').allTextContents();
    expect(headers.slice(0, 5)).toEqual(['产品', '剩余', '来源合格证', '日期', '状态']);
    expect(await cabbageRow().textContent()).toContain('100 / 300 千克');
    expect(await cabbageRow().textContent()).toContain('可用');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('stall-phone.png'), fullPage: true });
  }, 30_000);

  it('receives goods at the stall by scanning their certificate there, into the inventory', async () => {
    const issued = await fetch(`${world.server.url}/api/v1/certificates`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await sessionHeaders(world.server.url, 'lvyuan_coop')),
      },
      body: JSON.stringify({
        issuerId: (await certificatesOf(world.server.url, 'lvyuan_coop'))[0]!.issuerId,
        productCode: 1002,
        quantity: 40,
        unit: 'kg',
        originRegion: '430182',
        basis: 'self_tested',
      }),
    });
    expect(issued.status).toBe(201);
    const { certificate } = (await issued.json()) as { certificate: { id: string; code: string } };
    await page.getByLabel('合格证码').fill(certificate.code);
    await page.getByRole('button', { name: '扫码收货' }).click();
    await expect.poll(() => page.locator('.receipt [role="status"]').textContent()).toContain('已收货入库');
    const row = inventory().locator('tr', { hasText: certificate.id });
    await expect.poll(() => row.textContent()).toContain('40 / 40 千克');
  }, 30_000);

  it('says in Chinese that the inventory has too little left, and issues nothing', async () => {
    await fillRepack(500, [450]);
    await page.getByRole('button', { name: '开具', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('库存剩余不足');
    expect(await page.locator('.issued').count()).toBe(0);
    await page.getByRole('button', { name: '移除' }).first().click();
  }, 30_000);

  it('repacks into two certificates with the sum in view, shows their QR codes and draws the inventory', async () => {
    await page.reload();
    await fillRepack(50, [25, 20]);
    await expect
      .poll(() => page.locator('.conservation').textContent())
      .toMatch(/取用 50 · 开出 45 · 损耗 5 千克/);
    await page.getByRole('button', { name: '开具', exact: true }).click();
    const issued = page.locator('.issued');
    await issued.waitFor();
    expect(await issued.textContent()).toContain('已开具 2 份合格证');
    const qr = issued.locator('img.qr').first();
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(100);
    const codes = await issued.locator('.code').allTextContents();
    expect(codes).toHaveLength(2);
    const listed = (await certificatesOf(world.server.url, 'vendor_a01')).map((c) => c.code);
    for (const code of codes) expect(listed).toContain(code);
    await expect.poll(() => cabbageRow().textContent()).toContain('50 / 300 千克');
    expect(await page.locator('table.history tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('stall-screen.png'), fullPage: false });
  }, 30_000);

  it('downloads real label PDFs of 60×40 and 60×80 mm with the session', async () => {
    const issued = page.locator('.issued');
    for (const [size, height] of [
      ['60×40', 40],
      ['60×80', 80],
    ] as const) {
      const href = await issued
        .getByRole('link', { name: `预览 ${size}` })
        .first()
        .getAttribute('href');
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
    await page.locator('.issued').getByRole('button', { name: '打印 60×80' }).first().click();
    const frame = page.locator('iframe.print-frame');
    await frame.waitFor({ state: 'attached' });
    expect(await frame.getAttribute('src')).toMatch(/\/label\?format=pdf&size=60x80&copies=1$/);
    expect(page.url()).toMatch(/\/stall$/);
  }, 30_000);

  it('prints as many labels as the number of copies says, one PDF page each', async () => {
    const issued = page.locator('.issued .issued-body').first();
    await issued.getByRole('button', { name: '多打一份' }).click();
    await issued.getByRole('button', { name: '多打一份' }).click();
    expect(await issued.getByLabel('份数').inputValue()).toBe('3');
    // The preview is what the print button sends to the printer's dialog, so it carries the copies too.
    const href = await issued.getByRole('link', { name: '预览 60×40' }).getAttribute('href');
    expect(href).toMatch(/\/label\?format=pdf&size=60x40&copies=3$/);
    const response = await page.request.get(new URL(href!, world.consoleUrl).toString());
    expect(pdfPages(await response.body()).mediaBoxes).toHaveLength(3);
  }, 30_000);

  it('repacks with a photographed paper source: the kept goods say 含未核验来源, the history links the photo', async () => {
    // A fresh page: the one before holds the print frames' PDFs.
    await page.close();
    page = await world.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await logInAt(page, world.consoleUrl, '/stall', 'vendor_a01');
    await cabbageRow().getByRole('button', { name: '选用' }).click();
    await page.getByLabel('取用数量').fill('10');
    await page.getByRole('button', { name: '添加纸质或其他来源' }).click();
    const source = page.locator('.unverified-source');
    await source.getByLabel('说明').fill('大白菜，赵六的纸质合格证');
    await source.getByLabel('数量', { exact: true }).fill('2');
    await source.getByLabel('单位', { exact: true }).selectOption('kg');
    await source
      .locator('input[type="file"]')
      .setInputFiles(join(import.meta.dirname, '../../domain/test/fixtures/photos/testsrc-64x48.jpg'));
    await source.getByText('照片已就绪').waitFor();
    const output = page.locator('.draft-row:not(.unverified-source)');
    await output.getByLabel('数量', { exact: true }).fill('12');
    await output.getByLabel('留在本摊位继续销售').check();
    await page.getByRole('button', { name: '开具', exact: true }).click();
    const issued = page.locator('.issued');
    await expect.poll(() => issued.textContent()).toContain('含未经核验的来源');
    const kept = (await issued.locator('.issued-body strong').first().textContent()) ?? '';
    expect(kept).toMatch(/^[0-9a-f]{16}$/);

    // The kept output in the inventory carries the flag in words, in the first column: in view at 390 px.
    const keptRow = inventory().locator('tr', { hasText: kept });
    await expect.poll(() => keptRow.locator('td').first().textContent()).toContain('含未核验来源');
    expect(await cabbageRow().locator('.flag-unverified').count()).toBe(0);
    // Where the flag ends, from the table's left edge: within a 390 px phone's width, whatever the scroll.
    const flagEnd = await keptRow.locator('.flag-unverified').evaluate((el) => {
      type Boxed = {
        getBoundingClientRect(): { left: number; right: number };
        closest(s: string): Boxed | null;
      };
      const flag = el as unknown as Boxed;
      return (
        flag.getBoundingClientRect().right -
        (flag.closest('table')?.getBoundingClientRect().left ?? Number.NaN)
      );
    });
    expect(flagEnd).toBeLessThanOrEqual(390 - 32);

    // The history lists what was declared, with the photo as a thumbnail and a link the session opens.
    const declared = page.locator('table.history tr.sources').first();
    await expect.poll(() => declared.textContent()).toContain('大白菜，赵六的纸质合格证');
    const link = declared.getByRole('link', { name: '查看照片' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/transformations\/[0-9a-f-]+\/unverified-sources\/0\/photo$/);
    await expect
      .poll(() =>
        link.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    const photo = await page.request.get(new URL(href!, world.consoleUrl).toString());
    expect(photo.status()).toBe(200);
    expect(photo.headers()['content-type']).toBe('image/jpeg');
    expect((await photo.body()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await inventory().evaluate((table) => {
      const box = (table as unknown as { parentElement: { scrollLeft: number } | null }).parentElement;
      if (box) box.scrollLeft = 0;
    });
    await page.screenshot({ path: screenshotPath('stall-unverified-photo.png'), fullPage: true });
  }, 60_000);
});
