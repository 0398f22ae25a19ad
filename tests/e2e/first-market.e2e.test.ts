import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeInputEvents, type InputEvent } from '@liangzheng/gate-agent/scanner/wedge/evdev';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentBin } from '../faults/agent-server.ts';
import { freePort, root } from '../faults/real-server.ts';
import { buildConsole, describeInChromium, launchChromium, screenshotPath } from './browser.ts';

/** A child process with everything it printed, and its exit. */
interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { process: child, output: () => output, exited };
}

async function stop(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  await Promise.race([child.exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Linux key codes (input-event-codes.h) for the US layout the agent decodes with, and whether Shift is held. */
const keys = new Map<string, { code: number; shift: boolean }>();
for (const [first, plain, shifted] of [
  [2, '1234567890-=', '!@#$%^&*()_+'],
  [16, 'qwertyuiop[]', 'QWERTYUIOP{}'],
  [30, "asdfghjkl;'`", 'ASDFGHJKL:"~'],
  [43, '\\zxcvbnm,./', '|ZXCVBNM<>?'],
] as const) {
  for (let i = 0; i < plain.length; i++) {
    keys.set(plain[i]!, { code: first + i, shift: false });
    keys.set(shifted[i]!, { code: first + i, shift: true });
  }
}
keys.set(' ', { code: 57, shift: false });
const evKey = 1;
const evSyn = 0;
const leftShift = 42;
const enter = 28;

/**
 * What a USB keyboard-wedge scanner makes the kernel write to its evdev node for one read: each key pressed and
 * released (with Shift around capitals), `msPerKey` apart as a scanner types, then Enter.
 */
function scannerEvents(text: string, startMs: number, msPerKey: number): InputEvent[] {
  const events: InputEvent[] = [];
  const edge = (at: number, code: number, value: number) =>
    events.push({ at, type: evKey, code, value }, { at, type: evSyn, code: 0, value: 0 });
  [...text].forEach((char, i) => {
    const key = keys.get(char);
    if (!key) throw new Error(`no key for ${JSON.stringify(char)}`);
    const at = startMs + i * msPerKey;
    if (key.shift) edge(at, leftShift, 1);
    edge(at + 1, key.code, 1);
    edge(at + 2, key.code, 0);
    if (key.shift) edge(at + 3, leftShift, 0);
  });
  const end = startMs + text.length * msPerKey;
  edge(end, enter, 1);
  edge(end + 1, enter, 0);
  return events;
}

/** Logs in on the login page and waits for the role's landing page. */
async function logIn(page: Page, url: string, username: string, password: string, lands: RegExp) {
  await page.goto(`${url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(lands);
}

/**
 * issue 10, "Done when": a fresh database without demo data, started as `npm start` starts it, gets to a first
 * accepted scan at a newly enrolled gate agent through the screens alone. Nothing here is set up over the API:
 * the admin password is the one the server printed, every registry row is made on the admin screens, the
 * certificate on the producer screen, and the agent is enrolled with the command the device screen shows.
 */
describeInChromium('a first market, from npm start on an empty database to an accepted scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-first-market-'));
  let server: Child;
  let agent: Child | undefined;
  let url: string;
  let browser: Browser;
  let adminPassword: string;
  /** what the screens handed on to the next step */
  const handed = { enrollCommand: '', certificateCode: '', certificateId: '' };

  beforeAll(async () => {
    const consoleDir = join(dir, 'console-dist');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const { LIANGZHENG_ADMIN_PASSWORD: _chosen, ...inherited } = process.env;
    await buildConsole(consoleDir);
    // `npm start` builds the console, then runs `tsx src/main.ts` in server/, which serves it.
    server = run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(root, 'server'),
      env: {
        ...inherited,
        LIANGZHENG_DEMO: '0',
        DATABASE_URL: `file:${join(dir, 'liangzheng.db')}`,
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LIANGZHENG_CONSOLE_DIR: consoleDir,
      },
    });
    await until(
      'the server to listen',
      async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined),
      90_000,
    );
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await stop(agent);
    await browser?.close();
    await stop(server);
  }, 60_000);

  it('prints the generated admin password once, and sends the admin to the setup wizard', async () => {
    const printed = server.output().match(/Created user "admin" with password: (\S+)/);
    expect(printed, server.output()).not.toBeNull();
    adminPassword = printed![1]!;
    expect(server.output()).toContain('/admin/setup');
    expect(server.output()).not.toContain('Demo data loaded');
  });

  it('walks the admin through region, market, gate, stall and a gate device enrolment code', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await logIn(page, url, 'admin', adminPassword, /\/admin\/setup$/);
    const wizard = page.getByRole('region', { name: '开通向导' });
    const step = () => wizard.locator('[aria-current="step"]').textContent();
    await expect.poll(step).toBe('行政区');
    const region = page.getByRole('form', { name: '新增行政区' });
    await region.getByLabel('行政区划代码').fill('430104');
    await region.getByLabel('名称').fill('岳麓区');
    await region.getByLabel('级别').selectOption('county');
    await region.getByRole('button', { name: '新增' }).click();

    await expect.poll(step).toBe('市场');
    const market = page.getByRole('form', { name: '新增市场' });
    await market.getByLabel('名称').fill('岳麓农产品批发市场');
    await market.getByRole('button', { name: '新增' }).click();

    await expect.poll(step).toBe('道口');
    const gate = page.getByRole('form', { name: '新增道口' });
    await gate.getByLabel('名称').fill('东门');
    await gate.getByRole('button', { name: '新增' }).click();
    await page.getByRole('list', { name: '道口列表' }).getByText('东门', { exact: true }).waitFor();
    await wizard.getByRole('button', { name: '下一步' }).click();

    await expect.poll(step).toBe('摊位');
    const stall = page.getByRole('form', { name: '新增摊位' });
    await stall.getByLabel('摊位号').fill('A-01');
    await stall.getByRole('button', { name: '新增' }).click();
    await page.getByRole('list', { name: '摊位列表' }).getByText('A-01', { exact: true }).waitFor();
    await wizard.getByRole('button', { name: '下一步' }).click();

    await expect.poll(step).toBe('道口设备');
    const device = page.getByRole('form', { name: '生成设备登记码' });
    await device.getByLabel('设备名称').fill('东门 1 号机');
    await device.getByRole('button', { name: '生成设备登记码' }).click();
    const issued = page.getByRole('region', { name: '登记码已生成' });
    handed.enrollCommand = (await issued.locator('.enrollment-command').textContent()) ?? '';
    expect(handed.enrollCommand).toMatch(
      new RegExp(`^gate-agent enroll [0-9A-Z]{5}-[0-9A-Z]{5} --server ${url.replace(/\./g, '\\.')}$`),
    );
    await page.close();
  }, 120_000);

  it('has the admin file a producer with a signing key, a producer login and a gate login', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await logIn(page, url, 'admin', adminPassword, /\/admin/);
    await page.goto(`${url}/admin/issuers`);
    const issuer = page.getByRole('form', { name: '新增生产主体' });
    await issuer.getByLabel('主体类型').selectOption('producer');
    await issuer.getByLabel('主体名称').fill('岳麓区桃子湖蔬菜合作社');
    await issuer.getByLabel('证件类型').selectOption('other');
    await issuer.getByLabel('证件号码').fill('430104199001011234');
    await issuer.getByLabel('联系电话').fill('0731-88880001');
    await issuer.getByLabel('所在行政区').selectOption('430104');
    await issuer.getByRole('button', { name: '新增生产主体' }).click();
    await expect.poll(() => issuer.locator('output').textContent()).toMatch(/签名密钥已生成/);

    await page.goto(`${url}/admin/users`);
    const users = page.getByRole('form', { name: '新增用户' });
    const listed = page.getByRole('list', { name: '用户列表' });
    await users.getByLabel('登录名').fill('taozihu_coop');
    await users.getByLabel('姓名').fill('桃子湖合作社');
    await users.getByLabel('密码').fill('producer-pass-1');
    await users.getByLabel('角色').selectOption('producer');
    await users.getByLabel('生产主体', { exact: true }).selectOption({ label: '岳麓区桃子湖蔬菜合作社' });
    await users.getByRole('button', { name: '新增' }).click();
    await listed.getByText('taozihu_coop', { exact: false }).waitFor();

    await users.getByLabel('登录名').fill('dongmen_gate');
    await users.getByLabel('姓名').fill('东门值班');
    await users.getByLabel('密码').fill('gate-pass-01');
    await users.getByLabel('角色').selectOption('gate_staff');
    await users.getByLabel('市场', { exact: true }).selectOption({ label: '岳麓农产品批发市场' });
    await users.getByRole('button', { name: '新增' }).click();
    await listed.getByText('dongmen_gate', { exact: false }).waitFor();
    await page.close();
  }, 120_000);

  it('has the producer issue a certificate on the producer screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await logIn(page, url, 'taozihu_coop', 'producer-pass-1', /\/producer$/);
    await expect.poll(() => page.locator('.issuer-card').textContent()).toContain('岳麓区桃子湖蔬菜合作社');
    const line = page.locator('.issue-line').first();
    await line.locator('select').first().selectOption({ label: '大白菜（蔬菜）' });
    await line.getByLabel('每份数量', { exact: true }).fill('200');
    await page.getByRole('button', { name: '开具 1 份合格证' }).click();
    const made = page.locator('.made .made-one');
    await made.waitFor();
    handed.certificateId = (await made.locator('.certificate-id').textContent()) ?? '';
    handed.certificateCode = (await made.locator('.code').textContent()) ?? '';
    expect(handed.certificateId).toMatch(/^[0-9a-f]{16}$/);
    expect(handed.certificateCode).toMatch(/^HTTPS:\/\//);
    await page.close();
  }, 120_000);

  it('enrols a gate agent with the code from the screen; its scanner reads the certificate and the gate screen shows 通过', async () => {
    const agentDir = join(dir, 'agent');
    mkdirSync(agentDir);
    const scanner = join(agentDir, 'scanner-event-node');
    expect(spawnSync('mkfifo', [scanner]).status).toBe(0);
    const statusPort = await freePort();
    const configPath = join(agentDir, 'gate-agent.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        inputs: [{ kind: 'wedge', device: scanner }],
        sound: { output: 'none' },
        statusPort,
        journalPath: 'journal.sqlite',
      }),
    );
    const [name, ...args] = handed.enrollCommand.split(' ');
    expect(name).toBe('gate-agent');
    const enrolled = run(process.execPath, [agentBin, ...args, '--config', configPath], {
      cwd: agentDir,
      env: process.env,
    });
    expect(await enrolled.exited, enrolled.output()).toBe(0);
    expect(enrolled.output()).toContain('已登记');

    // The gate worker watches the gate the agent was enrolled at.
    const gatePage = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await logIn(gatePage, url, 'dongmen_gate', 'gate-pass-01', /\/gate$/);
    await gatePage.getByRole('button', { name: '东门', exact: true }).click();
    await gatePage.locator('.feed-live').waitFor({ timeout: 15_000 });

    agent = run(process.execPath, [agentBin, 'run', '--config', configPath], {
      cwd: agentDir,
      env: process.env,
    });
    // Scanning starts once the agent holds the gate's signed trust snapshot and is online.
    await until(
      'the agent to hold a trust snapshot',
      async () => {
        const status = (await (await fetch(`http://127.0.0.1:${statusPort}/status`)).json()) as {
          snapshot: { version: number } | null;
          online: boolean;
        };
        return status.snapshot && status.online ? true : undefined;
      },
      60_000,
    ).catch((cause) => {
      throw new Error(`${cause}\n${agent?.output()}`);
    });

    const node = await open(scanner, 'w');
    await node.write(encodeInputEvents(scannerEvents(handed.certificateCode, Date.now(), 8)));
    await node.close();

    const word = gatePage.locator('.verdict .verdict-word');
    await expect.poll(() => word.textContent(), { timeout: 30_000 }).toBe('通过');
    expect(await gatePage.locator('.verdict').textContent()).toContain('大白菜');
    await gatePage.screenshot({ path: screenshotPath('first-market-gate.png') });
    // The one scan stored is the agent's wedge read, with the scanner's key timing as its provenance.
    const stored = new Database(join(dir, 'liangzheng.db'), { readonly: true });
    const scans = stored.prepare('SELECT source, keystrokeTimings, outcome FROM "Scan"').all() as {
      source: string;
      keystrokeTimings: string;
      outcome: string;
    }[];
    stored.close();
    expect(scans.map((s) => [s.source, s.outcome])).toEqual([['wedge', 'accept']]);
    const timings = JSON.parse(scans[0]!.keystrokeTimings) as number[];
    expect(timings.length).toBeGreaterThan(20);
    expect(Math.max(...timings)).toBeLessThanOrEqual(10);

    // The producer sees where it went: the new market's gate, accepted.
    const producer = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await logIn(producer, url, 'taozihu_coop', 'producer-pass-1', /\/producer$/);
    const scan = producer.locator(`article[data-certificate="${handed.certificateId}"] .scan-list li`);
    await expect.poll(() => scan.first().textContent(), { timeout: 15_000 }).toContain('岳麓农产品批发市场');
    expect(await scan.first().textContent()).toContain('东门');
    expect(await scan.first().locator('.outcome-chip').textContent()).toBe('通过');
  }, 180_000);
});
