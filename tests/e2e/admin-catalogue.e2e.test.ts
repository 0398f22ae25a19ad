import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceHeaders } from '../faults/real-server.ts';
import { type ConsoleInChromium, describeInChromium, screenshotPath, startConsole } from './browser.ts';

/** The real server's admin password in the e2e world (tests/faults/real-server.ts sets it). */
const adminPassword = 'fault-test-admin';

/** Opens an admin path through the login page as the platform administrator. */
async function logInAsAdmin(page: Page, consoleUrl: string, path: string): Promise<void> {
  await page.goto(`${consoleUrl}${path}`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(adminPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(new RegExp(`${path}$`));
}

/**
 * The admin screens for issuers and keys, the product catalogue and rule sets, in chromium against the real
 * server: every assertion on the screen is checked again against what the server (and a gate agent) now holds.
 */
describeInChromium('admin catalogue screens in chromium', () => {
  let world: ConsoleInChromium;
  let page: Page;
  let adminHeaders: Record<string, string>;

  const apiGet = async <T>(path: string): Promise<T> => {
    const answer = await fetch(`${world.server.url}/api/v1${path}`, { headers: adminHeaders });
    expect(answer.status, path).toBe(200);
    return (await answer.json()) as T;
  };
  /** What a gate agent's trust snapshot holds now: the keys and rule set it judges with. */
  const agentSnapshot = async () => {
    const answer = await fetch(`${world.server.url}/api/v1/trust`, { headers: deviceHeaders });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { kind: string; snapshot: { body: string } };
    expect(body.kind).toBe('full');
    return JSON.parse(body.snapshot.body) as {
      keys: { keyId: string; issuerId: number; status: string }[];
      rules: { version: string };
    };
  };

  beforeAll(async () => {
    world = await startConsole();
    const login = await fetch(`${world.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: adminPassword }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    adminHeaders = { cookie, 'x-csrf-token': csrfToken };
    page = await world.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await logInAsAdmin(page, world.consoleUrl, '/admin/issuers');
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  it('creates a producer issuer, rotates its key, marks the retired key compromised and overrides its grade', async () => {
    await page.goto(`${world.consoleUrl}/admin/issuers`);
    const create = page.getByRole('form', { name: '新增生产主体' });
    await create.getByLabel('主体类型').selectOption('producer');
    await create.getByLabel('主体名称').fill('望城区试点蔬菜农场');
    await create.getByLabel('证件类型').selectOption('uscc');
    await create.getByLabel('证件号码').fill('91430100MA4L000000');
    await create.getByLabel('联系电话').fill('0731-88880001');
    await create.getByLabel('所在行政区').selectOption({ index: 1 });
    // A 统一社会信用代码 whose check character does not match is refused, in words saying what to do.
    await create.getByRole('button', { name: '新增生产主体' }).click();
    await expect.poll(() => create.getByRole('alert').textContent()).toContain('统一社会信用代码不正确');
    expect(await create.getByRole('alert').textContent()).toContain('INVALID_USCC');
    await create.getByLabel('证件类型').selectOption('other');
    await create.getByLabel('证件号码').fill('430122199001011234');
    await create.getByRole('button', { name: '新增生产主体' }).click();
    await expect
      .poll(() => create.locator('output').textContent())
      .toMatch(/已新增 望城区试点蔬菜农场（编号 \d+），签名密钥已生成/);

    const issuers = await apiGet<{ id: number; name: string; kind: string }[]>('/issuers');
    const issuer = issuers.find((i) => i.name === '望城区试点蔬菜农场');
    expect(issuer?.kind).toBe('producer');

    const detail = page.getByRole('region', { name: '正在管理：望城区试点蔬菜农场' });
    const keys = detail.getByRole('table', { name: '签名密钥' });
    await expect.poll(() => keys.locator('tbody tr').count()).toBe(1);
    const firstKeyId = (await keys.locator('tbody tr code').first().textContent())!.trim();
    expect(await keys.locator(`tr[data-key-id="${firstKeyId}"]`).textContent()).toContain('使用中');

    await detail.getByRole('button', { name: '轮换密钥' }).click();
    await expect.poll(() => keys.locator('tbody tr').count()).toBe(2);
    await expect
      .poll(() => keys.locator(`tr[data-key-id="${firstKeyId}"]`).textContent())
      .toContain('已退役');
    const serverKeys = await apiGet<{ keyId: string; status: string }[]>(`/issuers/${issuer!.id}/keys`);
    const newKey = serverKeys.find((k) => k.status === 'active');
    expect(newKey && newKey.keyId !== firstKeyId).toBe(true);
    expect(serverKeys.find((k) => k.keyId === firstKeyId)?.status).toBe('retired');
    expect(await keys.locator(`tr[data-key-id="${newKey!.keyId}"]`).textContent()).toContain('使用中');
    // The gates pick the rotation up: the agent's snapshot has the new key active and the old one retired.
    const agentKeys = (await agentSnapshot()).keys.filter((k) => k.issuerId === issuer!.id);
    expect(Object.fromEntries(agentKeys.map((k) => [k.keyId, k.status]))).toEqual({
      [firstKeyId]: 'retired',
      [newKey!.keyId]: 'active',
    });

    // Marking a key compromised asks first; 取消 leaves it as it was.
    await detail.getByRole('button', { name: `标记泄露 ${firstKeyId}` }).click();
    const question = detail.getByRole('group', { name: `标记泄露 ${firstKeyId}` });
    expect(await question.textContent()).toContain(`确认密钥 ${firstKeyId} 已泄露？`);
    await question.getByRole('button', { name: '取消' }).click();
    expect(await keys.locator(`tr[data-key-id="${firstKeyId}"]`).textContent()).toContain('已退役');
    await detail.getByRole('button', { name: `标记泄露 ${firstKeyId}` }).click();
    await question.getByRole('button', { name: '确认' }).click();
    await expect
      .poll(() => keys.locator(`tr[data-key-id="${firstKeyId}"]`).textContent())
      .toContain('已泄露');
    const afterCompromise = await apiGet<{ keyId: string; status: string }[]>(`/issuers/${issuer!.id}/keys`);
    expect(afterCompromise.find((k) => k.keyId === firstKeyId)?.status).toBe('compromised');

    // The grade is set by hand only with a reason, which the grade's explanation then shows.
    const override = detail.getByRole('form', { name: '人工调整等级' });
    await override.getByLabel('新等级').selectOption('C');
    await override.getByLabel('调整理由（必填）').fill('抽检发现标签与实物不符，先行降级');
    await override.getByRole('button', { name: '调整' }).click();
    await expect.poll(() => override.locator('output').textContent()).toBe('已调整为 C 级。');
    const credit = detail.getByRole('region', { name: '信用等级' });
    await expect.poll(() => credit.textContent()).toContain('抽检发现标签与实物不符，先行降级');
    expect(await credit.textContent()).toContain('有违规、快检阳性或召回记录，抽检频次加倍。');
    const history = await apiGet<{ current: { grade: string; source: string } }>(
      `/issuers/${issuer!.id}/credit`,
    );
    expect(history.current).toMatchObject({ grade: 'C', source: 'override' });
    expect(await override.getByLabel('新等级').inputValue()).toBe('C');
    await detail.screenshot({ path: screenshotPath('admin-issuers.png') });
  }, 60_000);

  it('imports a catalogue CSV: one bad line is refused with its reason and nothing is stored; fixed, all lines are imported', async () => {
    await page.goto(`${world.consoleUrl}/admin/products`);
    const form = page.getByRole('form', { name: '从 CSV 导入' });
    const csv = (fishCategory: string) =>
      [
        '编码,名称,类别,单位',
        '7101,试点莲藕,蔬菜,公斤',
        `7102,试点鳜鱼,${fishCategory},千克`,
        '7103,试点土鸡,畜禽,只',
      ].join('\n');
    await form.getByLabel('CSV 内容').fill(csv('海鲜'));
    const refusal = page.waitForResponse((res) => res.url().endsWith('/api/v1/products/import'));
    await form.getByRole('button', { name: '导入' }).click();
    // The server names the bad line by its code; the screen words the code, not the server's English sentence.
    expect((await (await refusal).json()).error.issues).toEqual([
      {
        path: 'line 3',
        code: 'CSV_FIELD_INVALID',
        message: 'These fields are wrong: category',
        detail: { fields: ['category'] },
      },
    ]);
    const result = form.getByRole('table', { name: '结果' });
    await expect.poll(() => result.locator('tbody tr').count()).toBe(4);
    expect(await result.locator('tr[data-line="3"]').getAttribute('class')).toBe('refused');
    expect(await result.locator('tr[data-line="3"]').textContent()).toContain('拒绝：以下字段有误：类别');
    for (const line of ['2', '4']) {
      expect(await result.locator(`tr[data-line="${line}"]`).textContent()).toContain(
        '本行无误，因其他行有错未导入',
      );
    }
    expect(await form.getByRole('alert').textContent()).toContain('文件有错误，未导入任何产品');
    await form.screenshot({ path: screenshotPath('admin-products-import.png') });
    const before = await apiGet<{ code: number }[]>('/products');
    expect(before.filter((p) => p.code >= 7101 && p.code <= 7103)).toEqual([]);

    await form.getByLabel('CSV 内容').fill(csv('水产品'));
    await form.getByRole('button', { name: '导入' }).click();
    await expect.poll(() => form.locator('output').textContent()).toBe('已导入：新增 3 个，更新 0 个。');
    for (const line of ['2', '3', '4']) {
      expect(await result.locator(`tr[data-line="${line}"]`).textContent()).toContain('已导入');
    }
    const catalogue = page.getByRole('table', { name: '产品目录' });
    await expect.poll(() => catalogue.locator('tr[data-code="7103"]').count()).toBe(1);
    const chicken = await catalogue.locator('tr[data-code="7103"]').textContent();
    expect(chicken).toContain('试点土鸡');
    expect(chicken).toContain('畜禽');
    const stored =
      await apiGet<{ code: number; category: string; unit: string; requiredDocuments: string[] }[]>(
        '/products',
      );
    const chickenRow = stored.find((p) => p.code === 7103)!;
    expect(stored.find((p) => p.code === 7102)).toMatchObject({ category: 'aquatic', unit: 'kg' });
    expect(chickenRow).toMatchObject({ category: 'livestock_poultry', unit: 'piece' });
    // The second documents the rule set asks of poultry are shown in words on the product's row.
    expect(chickenRow.requiredDocuments.length).toBeGreaterThan(0);
    expect(chicken).toContain('动物检疫合格证明');

    // A product code written twice is its own code, worded with the code it names.
    await form
      .getByLabel('CSV 内容')
      .fill(['编码,名称,类别', '7104,试点藕带,蔬菜', '7104,试点菱角,蔬菜'].join('\n'));
    await form.getByRole('button', { name: '导入' }).click();
    await expect.poll(() => result.locator('tr[data-line="3"]').getAttribute('class')).toBe('refused');
    expect(await result.locator('tr[data-line="3"]').textContent()).toContain(
      '拒绝：编码 7104 在文件中出现两次',
    );
    expect(await result.locator('tr[data-line="2"]').textContent()).toContain('本行无误，因其他行有错未导入');
  }, 60_000);

  it('adds a product, edits its unit, deactivates it and brings it back', async () => {
    await page.goto(`${world.consoleUrl}/admin/products`);
    const create = page.getByRole('form', { name: '新增产品' });
    await create.getByLabel('编码').fill('7301');
    await create.getByLabel('名称').fill('试点山羊');
    await create.getByLabel('类别').selectOption('livestock_poultry');
    await create.getByLabel('单位').selectOption('kg');
    await create.getByRole('button', { name: '新增产品' }).click();
    await expect.poll(() => create.locator('output').textContent()).toBe('已新增 试点山羊（编码 7301）。');
    // An existing code is refused in words, not stored twice.
    await create.getByLabel('编码').fill('7301');
    await create.getByLabel('名称').fill('又一只山羊');
    await create.getByRole('button', { name: '新增产品' }).click();
    await expect.poll(() => create.getByRole('alert').textContent()).toContain('该编码或版本号已存在');

    const row = page.getByRole('table', { name: '产品目录' }).locator('tr[data-code="7301"]');
    await row.getByRole('button', { name: '修改 试点山羊' }).click();
    const edit = page.getByRole('form', { name: '修改 试点山羊（编码 7301）' });
    await edit.getByLabel('单位').selectOption('head');
    await edit.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.textContent()).toContain('头');
    expect(await row.textContent()).toContain('动物检疫合格证明');

    await row.getByRole('button', { name: '停用 试点山羊' }).click();
    await expect.poll(() => row.textContent()).toContain('已停用');
    const product = async () =>
      (await apiGet<{ code: number; unit: string; active: boolean }[]>('/products')).find(
        (p) => p.code === 7301,
      );
    expect(await product()).toMatchObject({ unit: 'head', active: false });
    await row.getByRole('button', { name: '恢复使用 试点山羊' }).click();
    await expect.poll(() => row.textContent()).toContain('在用');
    expect(await product()).toMatchObject({ unit: 'head', active: true });
  }, 60_000);

  it('refuses an invalid rule set with each error and its path, and the rule set in force stays', async () => {
    const inForce = await apiGet<{ ruleSet: { version: string } }>('/rule-sets/active');
    const listed = await apiGet<{ version: string }[]>('/rule-sets');
    await page.goto(`${world.consoleUrl}/admin/rule-sets`);
    const editor = page.getByRole('form', { name: '规则集 JSON' });
    const json = editor.getByLabel('规则集 JSON');
    await expect.poll(() => json.inputValue()).toContain(`"version": "${inForce.ruleSet.version}"`);
    const broken = JSON.parse(await json.inputValue()) as {
      version: string;
      categoryDefaults: Record<string, unknown>;
    };
    broken.version = 'e2e-invalid';
    delete broken.categoryDefaults.tea;
    await json.fill(JSON.stringify(broken, null, 2));

    await editor.getByRole('button', { name: '校验' }).click();
    const problems = editor.getByRole('alert');
    await expect.poll(() => problems.textContent()).toContain('校验未通过');
    expect(await problems.textContent()).toContain('/categoryDefaults/tea：缺少该类别的默认设置');

    await editor.getByRole('button', { name: '发布新版本' }).click();
    await expect
      .poll(() => problems.textContent())
      .toContain('发布被拒绝：规则集无效，未保存。（RULE_SET_INVALID）');
    expect(await problems.textContent()).toContain('/categoryDefaults/tea：缺少该类别的默认设置');
    expect(await problems.textContent()).toContain('RULE_SET_INVALID');
    await editor.screenshot({ path: screenshotPath('admin-rule-set-refused.png') });

    const after = await apiGet<{ ruleSet: { version: string } }>('/rule-sets/active');
    expect(after.ruleSet.version).toBe(inForce.ruleSet.version);
    expect(await apiGet<{ version: string }[]>('/rule-sets')).toEqual(listed);
    expect((await agentSnapshot()).rules.version).toBe(inForce.ruleSet.version);
  }, 60_000);

  it('publishes two versions that reach the agents, then rolls back to the first after a confirm', async () => {
    await page.goto(`${world.consoleUrl}/admin/rule-sets`);
    const editor = page.getByRole('form', { name: '规则集 JSON' });
    const json = editor.getByLabel('规则集 JSON');
    await expect.poll(() => json.inputValue()).toContain('"version"');
    const base = JSON.parse(await json.inputValue()) as { version: string };

    for (const version of ['e2e-1', 'e2e-2']) {
      await json.fill(JSON.stringify({ ...base, version }, null, 2));
      await editor.getByRole('button', { name: '校验' }).click();
      await expect.poll(() => editor.locator('output').textContent()).toBe('校验通过，可以发布。');
      await editor.getByRole('button', { name: '发布新版本' }).click();
      await expect
        .poll(() => editor.locator('output').textContent())
        .toBe(`版本 ${version} 已发布并生效，各道口将收到更新。`);
      expect((await agentSnapshot()).rules.version).toBe(version);
    }
    const versions = page.getByRole('table', { name: '已发布版本' });
    await expect.poll(() => versions.locator('tr[data-version="e2e-2"]').textContent()).toContain('当前生效');
    expect(await versions.locator('tr[data-version="e2e-1"]').textContent()).not.toContain('当前生效');

    await page.getByRole('button', { name: '回滚到此版本 e2e-1' }).click();
    const question = page.getByRole('group', { name: '回滚到此版本 e2e-1' });
    expect(await question.textContent()).toContain('启用版本 e2e-1？各道口将改用该版本判定。');
    await question.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => versions.locator('tr[data-version="e2e-1"]').textContent()).toContain('当前生效');
    expect(await versions.locator('tr[data-version="e2e-2"]').textContent()).not.toContain('当前生效');
    expect(await page.getByTestId('rule-set-in-force').textContent()).toBe('当前生效：版本 e2e-1');
    expect((await apiGet<{ ruleSet: { version: string } }>('/rule-sets/active')).ruleSet.version).toBe(
      'e2e-1',
    );
    expect((await agentSnapshot()).rules.version).toBe('e2e-1');
    // The editor no longer reports e2e-2 as in force.
    expect(await editor.locator('output').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('admin-rule-sets.png'), fullPage: true });
  }, 60_000);

  it('fits a 390 px phone: no screen scrolls sideways, even with an issuer open and an import result', async () => {
    const phone = await world.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await logInAsAdmin(phone, world.consoleUrl, '/admin/issuers');
    const overflow = () => phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    await phone.getByRole('button', { name: '管理 望城区试点蔬菜农场' }).click();
    await phone.getByRole('table', { name: '签名密钥' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: screenshotPath('admin-issuers-phone.png'), fullPage: true });

    await phone.goto(`${world.consoleUrl}/admin/products`);
    const form = phone.getByRole('form', { name: '从 CSV 导入' });
    await form
      .getByLabel('CSV 内容')
      .fill('编码,名称,类别,单位\n7201,一个名字很长很长的试点产品名称,未知类别,千克');
    await form.getByRole('button', { name: '导入' }).click();
    await form.getByRole('table', { name: '结果' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);

    await phone.goto(`${world.consoleUrl}/admin/rule-sets`);
    await phone.getByRole('table', { name: '已发布版本' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: screenshotPath('admin-rule-sets-phone.png'), fullPage: true });
    await phone.close();
  }, 60_000);

  it('deactivates an issuer only after a confirm; its keys can no longer be rotated', async () => {
    await page.goto(`${world.consoleUrl}/admin/issuers`);
    await page.getByRole('button', { name: '管理 望城区试点蔬菜农场' }).click();
    const detail = page.getByRole('region', { name: '正在管理：望城区试点蔬菜农场' });
    await detail.getByRole('button', { name: '停用此主体' }).click();
    const question = detail.getByRole('group', { name: '停用此主体' });
    expect(await question.textContent()).toContain('停用 望城区试点蔬菜农场？');
    await question.getByRole('button', { name: '确认' }).click();
    await expect
      .poll(() => detail.locator('output').last().textContent())
      .toBe('望城区试点蔬菜农场 已停用。');
    await expect.poll(() => detail.getByRole('button', { name: '轮换密钥' }).count()).toBe(0);
    const issuers = await apiGet<{ name: string; active: boolean }[]>('/issuers');
    expect(issuers.find((i) => i.name === '望城区试点蔬菜农场')?.active).toBe(false);
  }, 60_000);
});
