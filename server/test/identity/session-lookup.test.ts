import { afterEach, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const me = (headers: Record<string, string>) => t.inject({ method: 'GET', url: '/api/v1/auth/me' }, headers);

/** The session lookup reads the stored session and user on every request: nothing it decides may go stale. */
describe('session lookup', () => {
  it('holds a session until the last second of its lifetime, read back exactly as stored', async () => {
    t = await buildTestApp();
    const headers = await t.login('admin', TEST_ADMIN_PASSWORD);
    (t.clock as FixedClock).advance(t.config.sessionHours * 3600_000 - 1000);
    expect((await me(headers)).statusCode).toBe(200);
    (t.clock as FixedClock).advance(1000);
    expect((await me(headers)).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('sees a role or scope change on the next request', async () => {
    t = await buildTestApp();
    const headers = await t.login('admin', TEST_ADMIN_PASSWORD);
    await t.prisma.user.update({
      where: { username: 'admin' },
      data: { role: 'regulator', regionPrefix: '43' },
    });
    expect((await me(headers)).json()).toMatchObject({
      role: 'regulator',
      scope: { kind: 'region', prefix: '43' },
    });
    const markets = await t.inject({ method: 'POST', url: '/api/v1/markets', payload: {} }, headers);
    expect(markets.json().error.code).toBe('FORBIDDEN');
    await t.prisma.user.update({ where: { username: 'admin' }, data: { regionPrefix: null } });
    expect((await me(headers)).json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a deactivated user on the next request, even with its session still stored', async () => {
    t = await buildTestApp();
    const headers = await t.login('admin', TEST_ADMIN_PASSWORD);
    await t.prisma.user.update({ where: { username: 'admin' }, data: { active: false } });
    expect(await t.prisma.session.count()).toBe(1);
    expect((await me(headers)).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('refuses a session deleted behind the server, as after a logout elsewhere', async () => {
    t = await buildTestApp();
    const headers = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await me(headers)).statusCode).toBe(200);
    await t.prisma.session.deleteMany();
    expect((await me(headers)).json().error.code).toBe('UNAUTHENTICATED');
  });
});
