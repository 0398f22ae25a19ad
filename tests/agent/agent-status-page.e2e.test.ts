import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@liangzheng/gate-agent/config/config';
import { type RunningAgent, startAgent } from '@liangzheng/gate-agent/main';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../faults/real-server.ts';

/**
 * The agent's status page in Debian's chromium, used with the keyboard only, while the agent is offline (no
 * server listens): manual entries are judged, shown and journaled at the gate all the same.
 */
const chromiumPath = '/usr/bin/chromium';
// screenshots go to the docs only on request (LZ_UPDATE_SCREENSHOTS=1), as the console's do
const imageDir =
  process.env.LZ_UPDATE_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '../../docs/img')
    : mkdtempSync(join(tmpdir(), 'lz-e2e-img-'));
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI !== 'true') {
  console.warn(
    `[e2e] SKIPPED: ${chromiumPath} is missing (apt-get install -y chromium); CI=true fails instead`,
  );
}

describe.skipIf(!hasChromium && process.env.CI !== 'true')('the gate status page in chromium', () => {
  let agent: RunningAgent;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-agent-page-'));
    const config = parseConfig(
      {
        server: { url: `http://127.0.0.1:${await freePort()}`, deviceToken: 'nobody-listens' },
        gateId: 1,
        statusPort: 0,
        sound: { output: 'none' },
        journalPath: 'journal.sqlite',
        sync: { trustPollMs: 600_000, maxBackoffMs: 1000 },
      },
      join(dir, 'gate-agent.json'),
      dir,
    );
    if (!config.ok) throw new Error(JSON.stringify(config.error));
    agent = await startAgent(config.config, { log: () => {} });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${agent.statusPort}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
  });

  /** The focused control, by id, name or (for a plain button) its text. */
  const focused = () =>
    page.evaluate<string | undefined>(
      `(() => { const a = document.activeElement; return a?.id || a?.getAttribute('name') || a?.textContent?.trim(); })()`,
    );

  async function tabTo(target: string): Promise<void> {
    for (let i = 0; i < 20 && (await focused()) !== target; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe(target);
  }

  it('registers a truck with no certificate and judges a typed code, with the keyboard alone', async () => {
    expect(await page.locator('#manual').isHidden()).toBe(true);
    await tabTo('open-manual');
    await page.keyboard.press('Enter');
    expect(await page.locator('#manual').isVisible()).toBe(true);
    // big enough for a gloved finger: at least a tenth of the screen's height
    const register = await page.locator('#lot-form button[type="submit"]').boundingBox();
    expect(register?.height).toBeGreaterThanOrEqual(80);

    expect(await focused()).toBe('plate');
    await page.locator('#certificate-paper').check();
    await page.screenshot({ path: join(imageDir, 'gate-manual-entry.png') });
    await page.locator('#certificate-code').check();
    await page.locator('input[name="plate"]').focus();
    await page.keyboard.type('湘A·20001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('老王');
    await page.keyboard.press('Tab');
    await page.keyboard.type('大白菜');
    await page.keyboard.press('Tab'); // category: vegetables, as offered
    await page.keyboard.press('Tab');
    await page.keyboard.type('40');
    await page.keyboard.press('Tab'); // unit: kg, as offered
    await page.keyboard.press('Tab'); // the certificate choice
    await page.keyboard.press('ArrowRight'); // 无合格证 / no certificate
    await page.keyboard.press('Tab'); // the paper fields are hidden: straight to Register
    expect(await focused()).toBe('登记 / Register');
    await page.keyboard.press('Enter');

    // polled through locators: the page's CSP forbids the eval a string predicate needs when it must poll
    await expect.poll(() => page.locator('body').getAttribute('class')).toBe('reject');
    expect(await page.locator('#word').textContent()).toBe('拒绝');
    expect(await page.locator('#reason-en').textContent()).toMatch(/certificate/i);
    expect(await page.locator('#manual').isHidden()).toBe(true);
    await page.screenshot({ path: join(imageDir, 'gate-manual-reject.png') });
    expect(agent.journal.unsentLots(10)).toEqual([
      expect.objectContaining({
        declaration: { productName: '大白菜', category: 'vegetable', quantity: 40, unit: 'kg' },
        arrival: { plate: '湘A·20001', supplier: '老王', noCertificate: true, documents: [] },
      }),
    ]);

    await tabTo('open-manual');
    await page.keyboard.press('Enter');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await focused()).toBe('tab-code');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('text');
    await page.keyboard.type('HTTPS://DAMAGED.EXAMPLE/C/0001');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('#code').textContent()).toContain('DAMAGED');
    // no trust snapshot offline: never an accept
    expect(await page.locator('body').getAttribute('class')).toBe('review');
    expect(await page.locator('#queue').textContent()).toContain('待上传 2');
    const [entry] = agent.journal.recent(1);
    expect(entry?.read).toMatchObject({ source: 'manual', text: 'HTTPS://DAMAGED.EXAMPLE/C/0001' });
  }, 60_000);
});
