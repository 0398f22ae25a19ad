import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceHeaders, freePort, RealServer, root, scanBody } from '../faults/real-server.ts';

/**
 * The console in Debian's chromium against the real server: the built console is served by `vite preview`, which
 * forwards /api, /socket.io and /V to the server, as the dev server does.
 */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const consoleDir = join(root, 'console');
// The README's screenshots are refreshed only on request (LZ_UPDATE_SCREENSHOTS=1); other runs write to a temp folder.
const imageDir =
  process.env.LZ_UPDATE_SCREENSHOTS === '1' ? join(root, 'docs/img') : join(tmpdir(), 'lz-e2e-img');
const demoPassword = 'liangzheng-demo';

const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI !== 'true') {
  console.warn(
    `[e2e] SKIPPED: ${chromiumPath} is missing (apt-get install -y chromium); CI=true fails instead`,
  );
}

async function sessionHeaders(url: string, username: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': csrfToken };
}

async function certificatesOf(url: string, username: string) {
  const listed = await fetch(`${url}/api/v1/certificates?status=valid`, {
    headers: await sessionHeaders(url, username),
  });
  return (await listed.json()) as { id: string; code: string; kind: string; productName: string }[];
}

describe.skipIf(!hasChromium && process.env.CI !== 'true')('console end to end in chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-e2e-'));
  let server: RealServer;
  let closePreview: (() => Promise<void>) | undefined;
  let consoleUrl = '';
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    expect(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium`).toBe(true);
    server = new RealServer({
      DATABASE_URL: `file:${join(dir, 'e2e.db')}`,
      DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    process.env.LZ_SERVER_URL = server.url;
    const { build, preview } = await import('vite');
    // Built into the temp dir: vitest's NODE_ENV=test gives a development React build, not for console/dist.
    const outDir = join(dir, 'console-dist');
    await Promise.all([
      server.start(),
      build({ root: consoleDir, logLevel: 'warn', build: { outDir, chunkSizeWarningLimit: 2000 } }),
    ]);
    const port = await freePort();
    const previewServer = await preview({
      root: consoleDir,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true },
    });
    closePreview = () => previewServer.close();
    consoleUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1024, height: 900 }, locale: 'zh-CN' });
    mkdirSync(imageDir, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await closePreview?.();
    await server?.stop();
  });

  it('logs in as the demo gate staff, checks a demo code green and shows a live scan verdict', async () => {
    const [certificate] = await certificatesOf(server.url, 'lvyuan_coop');
    expect(certificate).toBeDefined();

    await page.goto(`${consoleUrl}/gate`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('用户名').fill('mawangdui_gate');
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/gate$/);

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
    ).toBe('rgb(27, 138, 58)');

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
    expect(await panel.locator('.verdict-reason').textContent()).toBeTruthy();

    await page.getByLabel('合格证码').fill(certificate!.code);
    await page.getByRole('button', { name: '核验' }).click();
    await expect.poll(() => panel.getAttribute('data-outcome')).toBe('accept');
    await page.screenshot({ path: join(imageDir, 'gate-screen.png'), fullPage: false });
  }, 60_000);

  it('shows the public verification of the demo repack certificate with its source', async () => {
    const repack = (await certificatesOf(server.url, 'vendor_a01')).find((c) => c.kind === 'repack');
    expect(repack).toBeDefined();
    const path = repack!.code.replace(/^https?:\/\/[^/]+\/V\//i, '');

    const serverPage = await fetch(`${server.url}/V/${path}`);
    expect(serverPage.status).toBe(200);

    const publicPage = await browser.newPage({ viewport: { width: 480, height: 900 }, locale: 'zh-CN' });
    await publicPage.goto(`${consoleUrl}/verify/${path}`);
    const panel = publicPage.locator('output.verdict');
    await expect.poll(() => panel.getAttribute('data-outcome')).toBe('accept');
    expect(await publicPage.locator('.certificate').textContent()).toContain(repack!.productName);
    expect(await publicPage.locator('.certificate').textContent()).toContain('来源合格证');
    expect(await panel.textContent()).toContain('有效');
    await publicPage.screenshot({ path: join(imageDir, 'verify-page.png'), fullPage: true });
    await publicPage.close();
  }, 30_000);
});
