import { afterEach, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { ensureAdmin } from '../../src/identity/bootstrap.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe('console login', () => {
  it('logs the bootstrap admin in and answers /auth/me from the cookie', async () => {
    t = await buildTestApp();
    const headers = await t.login('admin', TEST_ADMIN_PASSWORD);
    const me = await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, headers);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'admin', role: 'admin', scope: { kind: 'all' } });
  });

  it('sets the session cookie HTTP-only and SameSite=Strict', async () => {
    t = await buildTestApp();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'lz_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  });

  it('refuses a wrong password with BAD_CREDENTIALS', async () => {
    t = await buildTestApp();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'not-the-password' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('BAD_CREDENTIALS');
  });

  it('refuses an unsafe request whose CSRF header is missing or wrong', async () => {
    t = await buildTestApp();
    const { cookie, 'x-csrf-token': csrf } = await t.login('admin', TEST_ADMIN_PASSWORD);
    const missing = await t.inject({ method: 'POST', url: '/api/v1/auth/logout' }, { cookie });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('CSRF_MISMATCH');
    const wrong = await t.inject(
      { method: 'POST', url: '/api/v1/auth/logout' },
      { cookie, 'x-csrf-token': 'x' },
    );
    expect(wrong.json().error.code).toBe('CSRF_MISMATCH');
    const right = await t.inject(
      { method: 'POST', url: '/api/v1/auth/logout' },
      { cookie, 'x-csrf-token': csrf! },
    );
    expect(right.statusCode).toBe(204);
    const after = await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, { cookie });
    expect(after.statusCode).toBe(401);
  });

  it('answers SESSION_EXPIRED once the session is older than its lifetime', async () => {
    t = await buildTestApp();
    const headers = await t.login('admin', TEST_ADMIN_PASSWORD);
    (t.clock as FixedClock).advance(t.config.sessionHours * 3600_000 + 1);
    const res = await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, headers);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
    await t.login('admin', TEST_ADMIN_PASSWORD);
    // logging in again sweeps the expired session
    expect(await t.prisma.session.count()).toBe(1);
  });
});

describe('bootstrap admin', () => {
  it('creates admin only on an empty database, with a generated password when none is configured', async () => {
    t = await buildTestApp();
    expect(await ensureAdmin(t.prisma, t.app.audit, 'another-password')).toEqual({ created: false });
    await t.prisma.session.deleteMany();
    await t.prisma.user.deleteMany();
    const made = await ensureAdmin(t.prisma, t.app.audit, undefined);
    expect(made).toMatchObject({ created: true, generated: true });
    if (!made.created) throw new Error('unreachable');
    expect(made.password.length).toBeGreaterThanOrEqual(12);
    await t.login('admin', made.password);
  });
});

describe('gate device tokens', () => {
  it('refuses an unknown bearer token with DEVICE_UNKNOWN', async () => {
    t = await buildTestApp();
    const res = await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, { authorization: 'Bearer nope' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('DEVICE_UNKNOWN');
  });

  it('refuses a revoked token within a second of revocation', async () => {
    t = await buildTestApp({ demo: true });
    const bearer = { authorization: `Bearer ${t.demo!.deviceToken}` };
    const before = await t.inject({ method: 'GET', url: '/api/v1/markets' }, bearer);
    // a device is authenticated (not 401) but this console route is not for devices
    expect(before.json().error.code).toBe('FORBIDDEN');
    // Revoke behind the server's back (another node did it), so only the cache's age protects us.
    await t.prisma.device.update({ where: { id: t.demo!.deviceId }, data: { revoked: true } });
    (t.clock as FixedClock).advance(1000);
    const after = await t.inject({ method: 'GET', url: '/api/v1/markets' }, bearer);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('DEVICE_REVOKED');
  });

  it('refuses a token revoked through the API on the next request', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const bearer = { authorization: `Bearer ${t.demo!.deviceToken}` };
    await t.inject({ method: 'GET', url: '/api/v1/markets' }, bearer);
    const revoke = await t.inject(
      { method: 'POST', url: `/api/v1/devices/${t.demo!.deviceId}/revoke` },
      admin,
    );
    expect(revoke.statusCode).toBe(200);
    const after = await t.inject({ method: 'GET', url: '/api/v1/markets' }, bearer);
    expect(after.json().error.code).toBe('DEVICE_REVOKED');
  });
});
