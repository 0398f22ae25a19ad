import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
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
 * docs/custody.md: a market admin links a vendor's own issuing identity on the admin screen (开通开证身份); the
 * vendor then repacks in its own name, with a paper source beside its verified goods; the code goes to 需人工复核
 * at a gate and its public page says 含未经核验的来源. 天元's 王芳 (S-01) starts with no identity.
 */
describeInChromium('a vendor issues in its own name, with an unverified source', () => {
  let world: ConsoleInChromium;
  let url: string;
  let vendor: Record<string, string>;
  let stallId: number;
  let certificateId: string;
  let made: string;

  /** 80 kg of 大白菜 of the demo cooperative, received at S-01 by scanning there. */
  beforeAll(async () => {
    world = await startConsole();
    url = world.server.url;
    const coop = { ...(await sessionHeaders(url, 'lvyuan_coop')), 'content-type': 'application/json' };
    const me = (await (await fetch(`${url}/api/v1/auth/me`, { headers: coop })).json()) as {
      scope: { issuerId: number };
    };
    const issued = await fetch(`${url}/api/v1/certificates`, {
      method: 'POST',
      headers: coop,
      body: JSON.stringify({
        issuerId: me.scope.issuerId,
        productCode: 1001,
        quantity: 80,
        unit: 'kg',
        originRegion: '430182',
        basis: 'self_tested',
      }),
    });
    expect(issued.status).toBe(201);
    const { certificate } = (await issued.json()) as { certificate: { id: string; code: string } };
    certificateId = certificate.id;
    vendor = { ...(await sessionHeaders(url, 'vendor_s01')), 'content-type': 'application/json' };
    const self = (await (await fetch(`${url}/api/v1/auth/me`, { headers: vendor })).json()) as {
      scope: { stallId: number };
    };
    stallId = self.scope.stallId;
    const received = await fetch(`${url}/api/v1/stalls/${stallId}/receipts`, {
      method: 'POST',
      headers: vendor,
      body: JSON.stringify({ scanId: randomUUID(), rawText: certificate.code }),
    });
    expect(received.status, await received.clone().text()).toBeLessThan(300);
    expect(((await received.json()) as { outcome: string }).outcome).toBe('accept');
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  async function pageAt(path: string, username: string, width = 390): Promise<Page> {
    const page = await world.browser.newPage({ viewport: { width, height: 844 }, locale: 'zh-CN' });
    await logInAt(page, world.consoleUrl, path, username);
    return page;
  }

  it('the market admin enables 王芳 to issue in her own name on the admin screen', async () => {
    // Before the link, a vendor cannot sign anything.
    const refused = await fetch(`${url}/api/v1/stalls/${stallId}/transformations`, {
      method: 'POST',
      headers: vendor,
      body: JSON.stringify({
        kind: 'repack',
        inputs: [{ itemId: `lot:x:${certificateId}`, quantity: 1 }],
        outputs: [{ quantity: 1 }],
      }),
    });
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NO_ISSUER_IDENTITY');

    const page = await pageAt('/admin/vendors', 'tianyuan_admin');
    const file = page.locator('.admin-list > li', { hasText: '王芳' });
    await file.waitFor();
    // the file's fields, the ID number masked on screen
    expect(await file.textContent()).toContain('137 3221 0917');
    expect(await file.textContent()).toMatch(/9243\*{10}/);
    expect(await file.textContent()).toContain('尚未开通开证身份');
    await file.getByRole('button', { name: '开通开证身份' }).click();
    await expect.poll(() => file.textContent()).toContain('已开通');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('admin-vendors-phone.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('王芳 repacks with a paper source beside her received goods, the sum in view', async () => {
    const page = await pageAt('/stall', 'vendor_s01');
    const row = page.locator('table.inventory tr', { hasText: certificateId });
    await row.getByRole('button', { name: '选用' }).click();
    await page.getByLabel('取用数量').fill('20');
    await page.getByRole('button', { name: '添加纸质或其他来源' }).click();
    const source = page.locator('.unverified-source');
    await source.getByLabel('说明').fill('大白菜，王五的纸质合格证');
    await source.getByLabel('数量', { exact: true }).fill('8');
    await source.getByLabel('单位', { exact: true }).selectOption('jin');
    await page.locator('.draft-row:not(.unverified-source)').getByLabel('数量', { exact: true }).fill('22');
    await expect
      .poll(() => page.locator('.conservation').textContent())
      .toMatch(/取用 24 · 开出 22 · 损耗 2 千克/);
    await page.getByRole('button', { name: '开具', exact: true }).click();
    const issued = page.locator('.issued');
    await issued.waitFor();
    expect(await issued.textContent()).toContain('含未经核验的来源');
    made = (await issued.locator('.code').first().textContent()) ?? '';
    expect(made).toMatch(/\/V\//);
    await page.screenshot({ path: screenshotPath('stall-unverified-source.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('its code is 需人工复核 at a gate, and its public page says 含未经核验的来源', async () => {
    const page = await pageAt('/gate', 'mawangdui_gate', 1366);
    const staff = await sessionHeaders(url, 'mawangdui_gate');
    const [gate] = (await (await fetch(`${url}/api/v1/gates`, { headers: staff })).json()) as {
      name: string;
    }[];
    await page.getByRole('button', { name: gate!.name, exact: true }).click();
    await page.locator('.feed-live').waitFor({ timeout: 15_000 });
    const field = (label: string) => page.locator('.lot-form').getByLabel(label, { exact: true });
    await field('车牌').fill('湘B·80022');
    await field('产品名称').fill('大白菜');
    await field('数量').fill('22');
    await field('数量').press('Enter');
    await page.locator('input[name="code"]').focus();
    await page.keyboard.type(made);
    await page.keyboard.press('Enter');
    const verdict = page.locator('.gate output.verdict');
    await expect.poll(() => verdict.getAttribute('data-outcome')).toBe('review');
    expect(await verdict.textContent()).toContain('需人工复核');
    expect(await verdict.textContent()).toContain('未经核验的来源');
    await page.close();

    const publicPage = await world.browser.newPage({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    await publicPage.goto(`${url}${made.slice(made.indexOf('/V/'))}`);
    const notice = publicPage.locator('.unverified');
    expect(await notice.textContent()).toContain('含未经核验的来源');
    expect(await notice.textContent()).toContain('大白菜，王五的纸质合格证');
    expect(await notice.textContent()).toContain('8 斤');
    expect(await publicPage.textContent('body')).toContain('王芳');
    await publicPage.close();
  }, 60_000);
});
