import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig as loadAgentConfig } from '@liangzheng/gate-agent/config/config';
import { enroll } from '@liangzheng/gate-agent/enroll/enroll-command';
import { main } from '@liangzheng/gate-agent/main';
import type { DemoLogins } from '@liangzheng/server/demo/demo';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demo-server.ts';

/** The real server on loopback and the agent's `enroll` command, as a gate PC would run it. */
let running: DemoServer;
let app: FastifyInstance;
let demo: DemoLogins;
let server: string;
let dir: string;

beforeAll(async () => {
  running = await startDemoServer({ name: 'lz-agent-enroll-' });
  ({ app, demo, url: server, dir } = running);
}, 60_000);

afterAll(async () => {
  await running?.close();
});

/** A code made on the admin screen's route, by 马王堆's administrator. */
async function codeFromAdminScreen(): Promise<string> {
  const login = await fetch(`${server}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: demo.users.market_admin, password: demo.password }),
  });
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('lz_session='))!
    .split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const made = await fetch(`${server}/api/v1/devices/enrollment-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ gateId: demo.gates.wholesaleEast, name: '东门 2 号机' }),
  });
  expect(made.status).toBe(201);
  return ((await made.json()) as { code: string }).code;
}

describe('gate-agent enroll', () => {
  it('writes a configuration the agent loads, with a token the server accepts, keeping the scanners it had', async () => {
    const configPath = join(dir, 'gate-agent.json');
    writeFileSync(configPath, JSON.stringify({ inputs: [{ kind: 'wedge', device: 'stdin' }] }));
    const code = await codeFromAdminScreen();
    expect(await main(['enroll', code, '--server', server, '--config', configPath])).toBe(0);

    const loaded = loadAgentConfig(configPath);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.config.gateId).toBe(demo.gates.wholesaleEast);
    expect(loaded.config.server.rootPublicKeys).toEqual([app.keyring.rootPublicKey]);
    expect(loaded.config.inputs[0]!.kind).toBe('wedge');
    expect(statSync(configPath).mode & 0o077).toBe(0);
    const trust = await fetch(`${server}/api/v1/trust`, {
      headers: { authorization: `Bearer ${loaded.config.server.deviceToken}` },
    });
    expect(trust.status).toBe(200);
  });

  it('refuses a code used once already, and leaves no configuration behind', async () => {
    const code = await codeFromAdminScreen();
    expect((await enroll(code, server, join(dir, 'first.json'))).ok).toBe(true);
    const second = join(dir, 'second.json');
    const again = await enroll(code, server, second);
    expect(again).toMatchObject({ ok: false, code: 'ENROLLMENT_CODE_USED' });
    expect(existsSync(second)).toBe(false);
    expect(await main(['enroll', code, '--server', server, '--config', second])).toBe(1);
  });

  it('says the server is unreachable instead of failing with a stack', async () => {
    const outcome = await enroll('ABCDE-12345', 'http://127.0.0.1:9', join(dir, 'never.json'));
    expect(outcome).toMatchObject({ ok: false, code: 'SERVER_UNREACHABLE' });
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });
});
