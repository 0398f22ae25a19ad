import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceHeaders, scanBody } from '../faults/real-server.ts';
import {
  type ConsoleInChromium,
  certificatesOf,
  describeInChromium,
  logInAt,
  screenshotPath,
  sessionHeaders,
  startConsole,
} from './browser.ts';

/** The smallest PNG the server's header check reads: the signature and an IHDR declaring 64×48. */
function stripPhoto(): Buffer {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(64, 16);
  bytes.writeUInt32BE(48, 20);
  return bytes;
}

/** 快检 at the market, in chromium against the real server: positive → hold → retest → decision. */
describeInChromium('rapid tests end to end in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;

  beforeAll(async () => {
    world = await startConsole();
    page = await world.browser.newPage({ viewport: { width: 1024, height: 1200 }, locale: 'zh-CN' });
  }, 90_000);

  afterAll(async () => {
    await world?.close();
  });

  /** A truck with one coop certificate, scanned and accepted at the demo gate. */
  async function acceptedLot(): Promise<{ lotId: string; certificateId: string }> {
    const url = world.server.url;
    const [certificate] = await certificatesOf(url, 'lvyuan_coop');
    const full = (await (
      await fetch(`${url}/api/v1/certificates/${certificate!.id}`, {
        headers: await sessionHeaders(url, 'lvyuan_coop'),
      })
    ).json()) as { category: string };
    const created = await fetch(`${url}/api/v1/lots`, {
      method: 'POST',
      headers: deviceHeaders,
      body: JSON.stringify({
        declaration: {
          productName: certificate!.productName,
          category: full.category,
          quantity: 1,
          unit: certificate!.unit,
        },
      }),
    });
    const { lot } = (await created.json()) as { lot: { id: string; gateId: number } };
    const scan = await fetch(`${url}/api/v1/scans`, {
      method: 'POST',
      headers: deviceHeaders,
      body: scanBody(randomUUID(), lot.id, lot.gateId, certificate!.code),
    });
    expect(scan.status).toBe(200);
    return { lotId: lot.id, certificateId: certificate!.id };
  }

  it('records a positive, holds the goods, refuses a rapid retest, confirms by lab and records the destruction', async () => {
    const { lotId, certificateId } = await acceptedLot();
    await logInAt(page, world.consoleUrl, '/rapid-tests', 'mawangdui_gate');

    const record = page.getByRole('form', { name: '登记快检' });
    await record.getByLabel('抽样批次').selectOption(lotId);
    await record.getByLabel('检测方法').selectOption('enzyme_inhibition');
    await record.getByLabel('检测项目').fill('有机磷');
    await record.getByLabel('检测人').fill('李检测');
    await record.getByLabel('阳性').check();
    await record
      .getByLabel('试纸照片')
      .setInputFiles({ name: 'strip.png', mimeType: 'image/png', buffer: stripPhoto() });
    await record.getByRole('button', { name: '登记结果' }).click();
    await expect.poll(() => record.locator('output').textContent()).toContain('阳性');

    const held = page.getByRole('article', { name: /有机磷/ });
    await expect.poll(() => held.locator('.stage').textContent()).toBe('待复检（暂停销售）');

    // No decision while the window is open and no retest is in.
    await held.getByRole('button', { name: '登记处置' }).click();
    await expect.poll(() => held.locator('.problem').textContent()).toContain('DECISION_BEFORE_WINDOW_ENDS');

    // A retest may not use a rapid method.
    const retest = held.getByRole('form', { name: '复检' });
    await retest.getByLabel('检测方法').selectOption('colloidal_gold');
    await retest.getByLabel('阳性').check();
    await retest.getByLabel('检测人').fill('王化验');
    await retest.getByRole('button', { name: '登记复检' }).click();
    await expect.poll(() => held.locator('.problem').textContent()).toContain('RETEST_METHOD_NOT_ALLOWED');

    await retest.getByLabel('检测方法').selectOption('lab');
    await retest.getByRole('button', { name: '登记复检' }).click();
    await expect.poll(() => held.locator('.stage').textContent()).toBe('阳性已确认，待处置');
    await page.screenshot({ path: screenshotPath('rapid-test-held.png'), fullPage: true });

    const decision = held.getByRole('form', { name: '处置' });
    await decision.getByRole('combobox').selectOption('destroyed');
    await decision.getByLabel('说明').fill('市场监管所现场监督销毁');
    await decision.getByRole('button', { name: '登记处置' }).click();
    await expect.poll(() => held.count()).toBe(0);
    await expect.poll(() => page.locator('table.rapid-recent').textContent()).toContain('监督销毁');

    // The confirmed positive voided the lot's certificate, and the public board posts the result.
    const url = world.server.url;
    const certificate = (await (
      await fetch(`${url}/api/v1/certificates/${certificateId}`, {
        headers: await sessionHeaders(url, 'lvyuan_coop'),
      })
    ).json()) as { status: string };
    expect(certificate.status).toBe('void');
    const lot = (await (
      await fetch(`${url}/api/v1/lots/${lotId}`, { headers: await sessionHeaders(url, 'mawangdui_gate') })
    ).json()) as { marketId: number };
    const board = (await (
      await fetch(`${url}/api/v1/public/markets/${lot.marketId}/rapid-tests`)
    ).json()) as {
      results: { result: string; retestResult: string | null; decision: string | null }[];
    };
    expect(board.results).toContainEqual(
      expect.objectContaining({ result: 'positive', retestResult: 'positive', decision: 'destroyed' }),
    );
  }, 90_000);
});
