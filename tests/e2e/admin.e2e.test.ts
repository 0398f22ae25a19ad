import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleInChromium, describeInChromium, screenshotPath, startConsole } from './browser.ts';

/** The real server's admin password (tests/faults/real-server.ts sets it). */
const adminPassword = 'fault-test-admin';

/** Logs in through the login page and waits for the role's landing page. */
async function logIn(page: Page, consoleUrl: string, username: string, password: string, lands: RegExp) {
  await page.goto(`${consoleUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(lands);
}

/** A logged-in API session, to check what the screens did against what the server now holds. */
async function apiSession(url: string, username: string, password: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200)
    return { status: login.status, get: async () => [] as never, post: async () => 0 };
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  return {
    status: login.status,
    get: async <T>(path: string): Promise<T> => {
      const answer = await fetch(`${url}/api/v1${path}`, { headers });
      expect(answer.status, path).toBe(200);
      return (await answer.json()) as T;
    },
    post: async (path: string, body: unknown): Promise<number> =>
      (await fetch(`${url}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).status,
  };
}

type Row = {
  id: number;
  name: string;
  marketId: number;
  number: string;
  active: boolean;
  vendorId: number | null;
};

/**
 * The admin screens on a database without demo data (LIANGZHENG_DEMO=0), in chromium against the real server:
 * the first-run wizard from nothing to a working enrolment code, then the sections themselves. Each step on
 * screen is checked against what the server holds.
 */
describeInChromium('admin screens and the first-run wizard in chromium', () => {
  let world: ConsoleInChromium;
  let context: BrowserContext;
  let page: Page;
  let admin: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    world = await startConsole({ LIANGZHENG_DEMO: '0' });
    admin = await apiSession(world.server.url, 'admin', adminPassword);
    context = await world.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  }, 90_000);

  it('leads an admin on an empty database from a region to a gate device enrolment code', async () => {
    expect(await admin.get<unknown[]>('/markets')).toEqual([]);
    // the start banner sends the admin to the wizard
    expect(world.server.log).toContain('/admin/setup');

    await logIn(page, world.consoleUrl, 'admin', adminPassword, /\/admin\/setup$/);
    const wizard = page.getByRole('region', { name: '开通向导' });
    await expect.poll(() => wizard.getByRole('status').first().textContent()).toBe('第 1 步，共 5 步');
    expect(await wizard.locator('[aria-current="step"]').textContent()).toBe('行政区');

    const region = page.getByRole('form', { name: '新增行政区' });
    await region.getByLabel('行政区划代码').fill('430104');
    await region.getByLabel('名称').fill('岳麓区');
    await region.getByLabel('级别').selectOption('county');
    await region.getByRole('button', { name: '新增' }).click();

    const market = page.getByRole('form', { name: '新增市场' });
    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('市场');
    expect(await market.getByLabel('所在行政区').inputValue()).toBe('430104');
    // Opened afresh (no step in the URL), the wizard resumes from what the server holds: a region, no market.
    await page.goto(`${world.consoleUrl}/admin/setup`);
    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('市场');
    expect(await market.getByLabel('所在行政区').inputValue()).toBe('430104');
    await market.getByLabel('名称').fill('岳麓农产品批发市场');
    await market.getByRole('button', { name: '新增' }).click();

    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('道口');
    const next = wizard.getByRole('button', { name: '下一步' });
    expect(await next.isDisabled()).toBe(true);
    const gate = page.getByRole('form', { name: '新增道口' });
    for (const name of ['东门', '西门']) {
      await gate.getByLabel('名称').fill(name);
      await gate.getByRole('button', { name: '新增' }).click();
      await page.getByRole('list', { name: '道口列表' }).getByText(name, { exact: true }).waitFor();
    }
    // A reload keeps the step the admin is on (it is in the URL), with what it made so far.
    await page.reload();
    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('道口');
    await page.getByRole('list', { name: '道口列表' }).getByText('西门', { exact: true }).waitFor();
    // A second admin's tab on /admin/setup resumes where the server's data stands: gates made, no stalls yet.
    const second = await context.newPage();
    await second.goto(`${world.consoleUrl}/admin/setup`);
    const secondWizard = second.getByRole('region', { name: '开通向导' });
    await expect.poll(() => secondWizard.locator('[aria-current="step"]').textContent()).toBe('摊位');
    expect(await secondWizard.getByRole('status').first().textContent()).toBe('第 4 步，共 5 步');
    await second.getByRole('form', { name: '新增摊位' }).waitFor();
    await second.close();
    await next.click();

    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('摊位');
    const stall = page.getByRole('form', { name: '新增摊位' });
    for (const number of ['A-01', 'A-02']) {
      await stall.getByLabel('摊位号').fill(number);
      await stall.getByRole('button', { name: '新增' }).click();
      await page.getByRole('list', { name: '摊位列表' }).getByText(number, { exact: true }).waitFor();
    }
    await wizard.getByRole('button', { name: '下一步' }).click();

    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('道口设备');
    const device = page.getByRole('form', { name: '生成设备登记码' });
    await expect
      .poll(() => device.getByLabel('道口', { exact: true }).locator('option:checked').textContent())
      .toBe('岳麓农产品批发市场 东门');
    await device.getByLabel('设备名称').fill('东门 1 号机');
    await device.getByRole('button', { name: '生成设备登记码' }).click();

    const issued = page.getByRole('region', { name: '登记码已生成' });
    const code = (await issued.locator('.enrollment-code').getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(await issued.locator('.enrollment-command').textContent()).toBe(
      `gate-agent enroll ${code} --server ${world.consoleUrl}`,
    );
    const qr = issued.getByRole('img', { name: '登记码二维码' });
    expect((await qr.boundingBox())?.width).toBeGreaterThanOrEqual(200);
    expect(await page.getByText('开通完成').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('admin-setup-wizard.png'), fullPage: true });

    // What the screens made is what the server holds, and the code enrols an agent at the first gate.
    const markets = await admin.get<{ id: number; name: string; regionCode: string }[]>('/markets');
    expect(markets.map((m) => [m.name, m.regionCode])).toEqual([['岳麓农产品批发市场', '430104']]);
    const gates = await admin.get<Row[]>('/gates');
    expect(gates.map((g) => g.name).sort()).toEqual(['东门', '西门']);
    expect((await admin.get<Row[]>('/stalls')).map((s) => s.number).sort()).toEqual(['A-01', 'A-02']);
    const enrolled = await fetch(`${world.server.url}/api/v1/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(enrolled.status).toBe(201);
    expect(((await enrolled.json()) as { gateId: number }).gateId).toBe(
      gates.find((g) => g.name === '东门')!.id,
    );

    // The device now listed can be revoked from the devices section.
    await page.getByRole('link', { name: '完成' }).click();
    await page.waitForURL(/\/admin\/devices$/);
    const devices = page.getByRole('list', { name: '已登记设备' });
    await devices.getByText('东门 1 号机').waitFor();
    await devices.getByRole('button', { name: '吊销' }).click();
    await devices.getByRole('button', { name: '确认吊销' }).click();
    await devices.getByText('已吊销').waitFor();
    const listed = await admin.get<{ name: string; revoked: boolean }[]>('/devices');
    expect(listed).toEqual([expect.objectContaining({ name: '东门 1 号机', revoked: true })]);
  }, 90_000);

  it('goes on with the region and market already made when the wizard is opened again', async () => {
    // Opened again with everything made, it stands at its last step, done; from the first step the admin picks
    // the region and market already made instead of new ones.
    await page.goto(`${world.consoleUrl}/admin/setup`);
    const wizard = page.getByRole('region', { name: '开通向导' });
    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('道口设备');
    await page.getByText('开通完成').waitFor();
    await page.goto(`${world.consoleUrl}/admin/setup?step=region`);
    await expect.poll(() => wizard.locator('[aria-current="step"]').textContent()).toBe('行政区');
    const region = page.getByRole('form', { name: '使用已有的行政区' });
    await region.getByLabel('所在行政区', { exact: true }).selectOption('430104');
    await region.getByRole('button', { name: '下一步' }).click();
    const market = page.getByRole('form', { name: '使用已有的市场' });
    await market.getByLabel('市场', { exact: true }).selectOption({ label: '岳麓农产品批发市场' });
    await market.getByRole('button', { name: '下一步' }).click();
    // the gates step lists the market's gates, so Next is open at once
    await page.getByRole('list', { name: '道口列表' }).getByText('西门', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '下一步' }).isEnabled()).toBe(true);
  }, 90_000);

  it('adds, edits and deactivates a stall, with a refused duplicate explained in Chinese', async () => {
    await page.goto(`${world.consoleUrl}/admin/stalls`);
    const form = page.getByRole('form', { name: '新增摊位' });
    const list = page.getByRole('list', { name: '摊位列表' });
    // the only market is chosen once the markets have loaded
    await expect.poll(() => form.getByLabel('市场', { exact: true }).inputValue()).not.toBe('');
    await form.getByLabel('摊位号').fill('B-07');
    await form.getByRole('button', { name: '新增' }).click();
    const row = list.getByRole('listitem').filter({ hasText: 'B-07' });
    await row.waitFor();

    // the same number again: the server's ALREADY_EXISTS, in words
    await form.getByLabel('摊位号').fill('B-07');
    await form.getByRole('button', { name: '新增' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('已有相同的记录（代码、编号或登录名重复），请换一个。');

    // a vendor filed on the stall (the vendors section is another screen), then taken off it here
    const stall = (await admin.get<Row[]>('/stalls')).find((s) => s.number === 'B-07')!;
    expect(
      await admin.post('/vendors', {
        name: '周记蔬菜',
        subjectId: '430104198001010011',
        contact: '13800000007',
        stallId: stall.id,
      }),
    ).toBe(201);
    await page.reload();
    await row.getByText('周记蔬菜').waitFor();
    await row.getByRole('button', { name: '修改' }).click();
    await row.getByLabel('经营户', { exact: true }).selectOption('');
    await row.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.locator('.hint').textContent()).toBe('岳麓农产品批发市场 · 未入驻');
    expect((await admin.get<Row[]>('/stalls')).find((s) => s.id === stall.id)?.vendorId).toBeNull();

    await row.getByRole('button', { name: '停用' }).click();
    await row.getByRole('button', { name: '确认停用' }).click();
    await row.getByText('已停用').waitFor();
    expect((await admin.get<Row[]>('/stalls')).find((s) => s.id === stall.id)?.active).toBe(false);
  }, 90_000);

  it('adds a user with a password, changes it, and deactivates the user', async () => {
    await page.goto(`${world.consoleUrl}/admin/users`);
    const form = page.getByRole('form', { name: '新增用户' });
    await form.getByLabel('登录名').fill('dongmen_li');
    await form.getByLabel('姓名').fill('李东门');
    await form.getByLabel('密码').fill('first-password-1');
    await form.getByLabel('角色').selectOption('gate_staff');
    await expect
      .poll(() => form.getByLabel('市场', { exact: true }).locator('option:checked').textContent())
      .toBe('岳麓农产品批发市场');
    await form.getByRole('button', { name: '新增' }).click();
    const row = page
      .getByRole('list', { name: '用户列表' })
      .getByRole('listitem')
      .filter({ hasText: 'dongmen_li' });
    await row.getByText('道口人员 · 岳麓农产品批发市场').waitFor();
    expect((await apiSession(world.server.url, 'dongmen_li', 'first-password-1')).status).toBe(200);

    // a taken login name is refused in Chinese, not as a code
    await form.getByLabel('登录名').fill('dongmen_li');
    await form.getByLabel('姓名').fill('另一个人');
    await form.getByLabel('密码').fill('first-password-2');
    await form.getByRole('button', { name: '新增' }).click();
    expect(await form.getByRole('alert').textContent()).toBe(
      '已有相同的记录（代码、编号或登录名重复），请换一个。',
    );

    await row.getByRole('button', { name: '修改' }).click();
    await row.getByLabel('姓名').fill('李东门（早班）');
    await row.getByLabel('新密码').fill('second-password-2');
    await row.getByRole('button', { name: '保存' }).click();
    await row.getByText('李东门（早班） (dongmen_li)').waitFor();
    expect((await apiSession(world.server.url, 'dongmen_li', 'first-password-1')).status).toBe(401);
    expect((await apiSession(world.server.url, 'dongmen_li', 'second-password-2')).status).toBe(200);

    await row.getByRole('button', { name: '停用' }).click();
    await row.getByRole('button', { name: '确认停用' }).click();
    await row.getByText('已停用', { exact: false }).waitFor();
    expect((await apiSession(world.server.url, 'dongmen_li', 'second-password-2')).status).toBe(401);
  }, 90_000);

  it('deactivates a region behind a confirm, refused in Chinese while its market is active', async () => {
    await page.goto(`${world.consoleUrl}/admin/regions`);
    const inUse = page.getByRole('listitem').filter({ hasText: '430104 岳麓区' });
    await inUse.getByRole('button', { name: '停用' }).click();
    await inUse.getByRole('button', { name: '确认停用' }).click();
    const refusal = inUse.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('该行政区还有在用的市场，请先停用这些市场。');
    type RegionRow = { code: string; active: boolean };
    expect((await admin.get<RegionRow[]>('/regions')).find((r) => r.code === '430104')?.active).toBe(true);

    const form = page.getByRole('form', { name: '新增行政区' });
    await form.getByLabel('行政区划代码').fill('430105');
    await form.getByLabel('名称').fill('开福区');
    await form.getByRole('button', { name: '新增' }).click();
    const unused = page.getByRole('listitem').filter({ hasText: '430105 开福区' });
    await unused.getByRole('button', { name: '停用' }).click();
    await unused.getByRole('button', { name: '确认停用' }).click();
    await unused.getByText('已停用', { exact: false }).waitFor();
    expect(await unused.getByRole('button', { name: '修改' }).count()).toBe(0);
    expect((await admin.get<RegionRow[]>('/regions')).find((r) => r.code === '430105')?.active).toBe(false);

    // the markets form no longer offers it, and the server refuses a market there with INACTIVE
    await page.goto(`${world.consoleUrl}/admin/markets`);
    const regionChoice = page
      .getByRole('form', { name: '新增市场' })
      .getByLabel('所在行政区', { exact: true });
    await regionChoice.locator('option', { hasText: '430104' }).waitFor({ state: 'attached' });
    expect(await regionChoice.locator('option', { hasText: '430105' }).count()).toBe(0);
    expect(await admin.post('/markets', { name: '开福市场', kind: 'wholesale', regionCode: '430105' })).toBe(
      409,
    );
    // nor does the wizard's choice of an existing region
    await page.goto(`${world.consoleUrl}/admin/setup?step=region`);
    const existing = page
      .getByRole('form', { name: '使用已有的行政区' })
      .getByLabel('所在行政区', { exact: true });
    await existing.locator('option', { hasText: '430104' }).waitFor({ state: 'attached' });
    expect(await existing.locator('option', { hasText: '430105' }).count()).toBe(0);
  }, 90_000);

  it('shows a market admin only their own market', async () => {
    // a second market with a stall, added by the admin on the markets screen
    await page.goto(`${world.consoleUrl}/admin/markets`);
    const marketForm = page.getByRole('form', { name: '新增市场' });
    await marketForm.getByLabel('名称').fill('河西菜市场');
    await marketForm.getByLabel('市场类型').selectOption('supermarket');
    await marketForm.getByLabel('所在行政区').selectOption('430104');
    await marketForm.getByRole('button', { name: '新增' }).click();
    await page.getByText('河西菜市场').waitFor();
    const hexi = (await admin.get<Row[]>('/markets')).find((m) => m.name === '河西菜市场')!;
    expect(await admin.post('/stalls', { marketId: hexi.id, number: 'HX-01' })).toBe(201);

    await page.goto(`${world.consoleUrl}/admin/users`);
    const userForm = page.getByRole('form', { name: '新增用户' });
    await userForm.getByLabel('登录名').fill('yuelu_admin');
    await userForm.getByLabel('姓名').fill('岳麓市场管理员');
    await userForm.getByLabel('密码').fill('market-admin-pass');
    await userForm.getByLabel('角色').selectOption('market_admin');
    await userForm.getByLabel('市场', { exact: true }).selectOption({ label: '岳麓农产品批发市场' });
    await userForm.getByRole('button', { name: '新增' }).click();
    await page.getByText('岳麓市场管理员 (yuelu_admin)').waitFor();

    const own = await world.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await logIn(own, world.consoleUrl, 'yuelu_admin', 'market-admin-pass', /\/gate$/);
    await own.getByRole('link', { name: '管理' }).click();
    await own.waitForURL(/\/admin\/markets$/);
    const nav = own.getByRole('navigation', { name: '管理项目' });
    expect(await nav.getByRole('link', { name: '行政区' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: '开通向导' }).count()).toBe(0);
    await own.getByText('岳麓农产品批发市场').first().waitFor();
    expect(await own.getByText('河西菜市场').count()).toBe(0);

    await nav.getByRole('link', { name: '摊位' }).click();
    const stalls = own.getByRole('list', { name: '摊位列表' });
    await stalls.getByText('A-01', { exact: true }).waitFor();
    expect(await stalls.getByText('HX-01').count()).toBe(0);
    const stallMarket = own.getByRole('form', { name: '新增摊位' }).getByLabel('市场', { exact: true });
    await expect
      .poll(() => stallMarket.locator('option').allTextContents())
      .toEqual(['请选择', '岳麓农产品批发市场']);

    // a market admin hires gate staff and vendors only
    await nav.getByRole('link', { name: '用户' }).click();
    const roles = own
      .getByRole('form', { name: '新增用户' })
      .getByLabel('角色', { exact: true })
      .locator('option');
    await expect.poll(() => roles.allTextContents()).toEqual(['道口人员', '经营户']);
    await own.close();
  }, 90_000);

  it('fits a 390 px phone on every admin section, with an enrolment code shown', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    const overflow = () => phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    for (const section of ['regions', 'markets', 'gates', 'stalls', 'users', 'devices', 'setup']) {
      await phone.goto(`${world.consoleUrl}/admin/${section}`);
      await phone.getByRole('navigation', { name: '管理项目' }).waitFor();
      await phone.locator('.admin-section').first().waitFor();
      expect(await overflow(), section).toBeLessThanOrEqual(0);
    }
    await phone.goto(`${world.consoleUrl}/admin/devices`);
    const device = phone.getByRole('form', { name: '生成设备登记码' });
    await device.getByLabel('道口').selectOption({ label: '岳麓农产品批发市场 西门' });
    await device.getByLabel('设备名称').fill('西门 1 号机');
    await device.getByRole('button', { name: '生成设备登记码' }).click();
    await phone.getByRole('region', { name: '登记码已生成' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: screenshotPath('admin-devices-phone.png'), fullPage: true });

    // an unused code is revoked from the same screen, and the agent can no longer enrol with it
    const code = await phone.locator('.enrollment-code').getAttribute('data-code');
    const pending = phone
      .getByRole('list', { name: '登记码' })
      .getByRole('listitem')
      .filter({ hasText: '西门 1 号机' });
    await pending.getByRole('button', { name: '吊销' }).click();
    await pending.getByRole('button', { name: '确认吊销' }).click();
    await expect.poll(() => pending.locator('.hint').textContent()).toContain('已作废');
    const refused = await fetch(`${world.server.url}/api/v1/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'ENROLLMENT_CODE_INVALID',
    );
    await phone.close();
  }, 90_000);
});
