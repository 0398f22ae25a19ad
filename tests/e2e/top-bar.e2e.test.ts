import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConsoleInChromium,
  demoPassword,
  describeInChromium,
  screenshotPath,
  smallTargets,
  startConsole,
} from './browser.ts';

/** Each demo role's top-bar links, in the bar's order, with the page each opens and where it lands first. */
const roles = [
  {
    username: 'mawangdui_admin',
    home: /\/gate$/,
    links: [
      ['道口查验', /\/gate$/],
      ['快检', /\/rapid-tests$/],
      ['台账', /\/ledger$/],
      ['管理', /\/admin(\/[a-z-]+)?$/],
      ['亮证查询', /\/verify$/],
    ],
  },
  {
    username: 'vendor_a01',
    home: /\/stall$/,
    links: [
      ['摊位开证', /\/stall$/],
      ['台账', /\/ledger$/],
      ['亮证查询', /\/verify$/],
    ],
  },
  {
    username: 'lvyuan_coop',
    home: /\/producer$/,
    links: [
      ['开证', /\/producer$/],
      ['亮证查询', /\/verify$/],
    ],
  },
  {
    username: 'changsha_regulator',
    home: /\/regulator(\/[a-z-]+)?$/,
    links: [
      ['监管', /\/regulator(\/[a-z-]+)?$/],
      ['亮证查询', /\/verify$/],
    ],
  },
] as const;

/** The bar's height, and whether anything in it sits below its first row or sticks out sideways. */
async function barShape(page: Page) {
  return page.locator('header.top').evaluate((bar) => {
    const document = bar.ownerDocument;
    const window = document.defaultView!;
    const box = bar.getBoundingClientRect();
    const shown = [...bar.children].filter((child) => {
      const r = child.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && window.getComputedStyle(child).position !== 'absolute';
    });
    const boxes = shown.map((child) => child.getBoundingClientRect());
    // one row: every item overlaps every other vertically (the lowest top is above the highest bottom)
    const oneRow = Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
    return {
      height: Math.round(box.height),
      rows: oneRow ? 1 : 2,
      overflow: bar.scrollWidth > bar.clientWidth || document.documentElement.scrollWidth > window.innerWidth,
    };
  });
}

/**
 * The top bar on a 390 px phone stays one row (title, 菜单, language, 退出) and opens every link of the role as a
 * list from the 菜单 button, by keyboard too; at desktop width the links stay in the bar and there is no 菜单.
 */
describeInChromium('the top bar at 390 px in chromium', () => {
  let world: ConsoleInChromium;

  beforeAll(async () => {
    world = await startConsole();
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  async function phoneAs(username: string, home: RegExp, width = 390) {
    const context = await world.browser.newContext({ viewport: { width, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${world.consoleUrl}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(home);
    return { page, close: () => context.close() };
  }

  for (const role of roles) {
    it(`keeps the bar one row for ${role.username} and reaches each link through 菜单`, async () => {
      const { page, close } = await phoneAs(role.username, role.home);
      const menu = page.getByRole('button', { name: '菜单' });
      const nav = page.getByRole('navigation', { name: '主导航' });
      await menu.waitFor();
      expect(await barShape(page)).toEqual({ height: expect.any(Number), rows: 1, overflow: false });
      expect((await barShape(page)).height).toBeLessThanOrEqual(64);
      expect(await smallTargets(page, 'header.top button, header.top a')).toEqual([]);
      // folded: no link to hear or tab to until the menu opens
      expect(await nav.getByRole('link').count()).toBe(0);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');

      // by keyboard: Enter opens the list, Tab goes into it, the current page is marked, Escape closes it
      await menu.focus();
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await nav.getByRole('link').allTextContents()).toEqual(role.links.map(([name]) => name));
      expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual([role.links[0][0]]);
      expect((await barShape(page)).height).toBeLessThanOrEqual(64);
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe(
        role.links[0][0],
      );
      if (role.username === 'mawangdui_admin')
        await page.screenshot({ path: screenshotPath('top-bar-menu-phone.png') });
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('菜单');
      expect(await nav.getByRole('link').count()).toBe(0);

      // every link opens its page, and the menu folds away behind it with the page marked as current
      for (const [name, lands] of role.links) {
        await menu.click();
        await nav.getByRole('link', { name, exact: true }).click();
        await page.waitForURL(lands);
        await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
        expect(await nav.getByRole('link').count()).toBe(0);
        await menu.click();
        expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual([name]);
        await page.keyboard.press('Escape');
        expect((await barShape(page)).rows).toBe(1);
      }
      await close();
    }, 90_000);
  }

  it('leaves the desktop bar as it was: links in the bar, no 菜单', async () => {
    const role = roles[0];
    const { page, close } = await phoneAs(role.username, role.home, 1366);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link').first().waitFor();
    expect(await page.getByRole('button', { name: '菜单' }).count()).toBe(0);
    expect(await nav.getByRole('link').allTextContents()).toEqual(role.links.map(([name]) => name));
    expect(await barShape(page)).toEqual({ height: expect.any(Number), rows: 1, overflow: false });
    await nav.getByRole('link', { name: '台账' }).click();
    await page.waitForURL(/\/ledger$/);
    // the router renders a navigation after the address changes
    await expect.poll(() => nav.locator('a[aria-current="page"]').allTextContents()).toEqual(['台账']);
    await close();
  }, 60_000);
});
