import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { freePort, RealServer, root } from '../faults/real-server.ts';

/**
 * The console in Debian's chromium against the real server: the built console is served by `vite preview`, which
 * forwards /api, /socket.io and /V to the server, as the dev server does. Shared by every e2e file.
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
/** The console to build; LZ_E2E_CONSOLE_DIR runs the same tests against another tree's (an older commit's, to see a test fail before its fix). */
const consoleDir = process.env.LZ_E2E_CONSOLE_DIR ?? join(root, 'console');
const scratchImages = join(tmpdir(), 'lz-e2e-img');
/** The screenshots docs/img keeps (README.md shows them); the others are for looking at after a run. */
const documentedImages = new Set([
  'gate-screen.png',
  'gate-phone.png',
  'stall-phone.png',
  'verify-page.png',
  'stall-screen.png',
  'regulator-dashboard.png',
  'figures-dashboard.png',
  'market-board.png',
  'market-board-phone.png',
  'admin-setup-wizard.png',
  'admin-devices-phone.png',
  'admin-issuers.png',
  'admin-products-import.png',
  'admin-rule-set-refused.png',
  'producer-screen.png',
  'producer-phone.png',
  'first-market-gate.png',
]);
/**
 * Where a screenshot goes: docs/img only on request (LZ_UPDATE_SCREENSHOTS=1) and only for the documented ones;
 * every other run writes to a temp folder.
 */
export function screenshotPath(name: string): string {
  const update = process.env.LZ_UPDATE_SCREENSHOTS === '1' && documentedImages.has(name);
  return join(update ? join(root, 'docs/img') : scratchImages, name);
}
export const demoPassword = 'liangzheng-demo';

const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI !== 'true') {
  console.warn(
    `[e2e] SKIPPED: ${chromiumPath} is missing (apt-get install -y chromium); CI=true fails instead`,
  );
}

/** A describe that runs where chromium is, and fails (rather than skips) in CI where it is not. */
export const describeInChromium = describe.skipIf(!hasChromium && process.env.CI !== 'true');

export interface ConsoleInChromium {
  server: RealServer;
  consoleUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Debian's chromium, headless, as every e2e file drives it; screenshots have their folder. */
export async function launchChromium(): Promise<Browser> {
  expect(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium`).toBe(true);
  mkdirSync(scratchImages, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/**
 * The console built into `outDir`, away from console/dist: vitest's NODE_ENV=test gives a development React
 * build, not one to ship.
 */
export async function buildConsole(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    root: consoleDir,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
}

/**
 * A real server on a new demo database (or an empty one, with `LIANGZHENG_DEMO: '0'`), the console built and
 * previewed in front of it, and a browser.
 */
export async function startConsole(env: { LIANGZHENG_DEMO?: '0' } = {}): Promise<ConsoleInChromium> {
  expect(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium`).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'lz-e2e-'));
  const server = new RealServer({
    DATABASE_URL: `file:${join(dir, 'e2e.db')}`,
    DATA_DIR: dir,
    PORT: String(await freePort()),
    ...env,
  });
  process.env.LZ_SERVER_URL = server.url;
  const { preview } = await import('vite');
  const outDir = join(dir, 'console-dist');
  await Promise.all([server.start(), buildConsole(outDir)]);
  const port = await freePort();
  const previewServer = await preview({
    root: consoleDir,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  const browser = await launchChromium();
  return {
    server,
    consoleUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await previewServer.close();
      await server.stop();
    },
  };
}

/** A logged-in API session for setting the scene over HTTP, as the console would. */
export async function sessionHeaders(url: string, username: string): Promise<Record<string, string>> {
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

export interface ListedCertificate {
  id: string;
  code: string;
  kind: string;
  issuerId: number;
  productName: string;
  productCode: number;
  quantity: number;
  unit: string;
  parents: { certificateId: string; quantity: number }[];
}

export async function certificatesOf(url: string, username: string): Promise<ListedCertificate[]> {
  const listed = await fetch(`${url}/api/v1/certificates?status=valid`, {
    headers: await sessionHeaders(url, username),
  });
  return (await listed.json()) as ListedCertificate[];
}

/** Opens a console path as a demo user through the login page, and waits to land back on it. */
export async function logInAt(page: Page, consoleUrl: string, path: string, username: string): Promise<void> {
  await page.goto(`${consoleUrl}${path}`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(demoPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(new RegExp(`${path}$`));
}

/** Every visible control smaller than a gloved finger (48 × 48 CSS px), by its text, for a clear failure. */
export async function smallTargets(page: Page, selector = 'button, a, input, select'): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && (box.width < 48 || box.height < 48);
      })
      .map((e) => {
        const box = e.getBoundingClientRect();
        return `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim() || e.getAttribute('name')}" ${Math.round(box.width)}×${Math.round(box.height)}`;
      }),
  );
}

/** WCAG contrast ratio of an element's text colour against its own background colour (both opaque rgb). */
export async function contrastOf(page: Page, selector: string): Promise<number> {
  const [text, background] = await page
    .locator(selector)
    .first()
    .evaluate((e) => {
      const style = e.ownerDocument.defaultView!.getComputedStyle(e);
      return [style.color, style.backgroundColor];
    });
  const luminance = (rgb: string) => {
    const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(text!), luminance(background!)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}
