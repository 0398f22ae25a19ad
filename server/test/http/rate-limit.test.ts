import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { addGateDevice, bearer } from '../scan/scan-fixture.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const failedLogin = (forwardedFor: string) =>
  t.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: 'guess-guess' },
    headers: { 'x-forwarded-for': forwardedFor },
  });

describe('requests with a device token (security finding 11)', () => {
  it('wrong tokens from one address run into 429 like any anonymous request', async () => {
    // The review sent 1,000 against the default 600 a minute and got 401 every time; the same at a smaller scale.
    t = await buildTestApp({ config: { rateLimitPerMinute: 60 } });
    const counts = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      const res = await t.inject({ method: 'GET', url: '/api/v1/trust' }, bearer(`lz-guess-${i}`));
      counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ 401: 60, 429: 40 });
  });

  it('public routes ignore a stale token; guarded routes refuse it with its code', async () => {
    t = await buildTestApp({ demo: true });
    const revoked = await addGateDevice(t, t.demo!.gates.wholesaleEast, 'retired');
    await t.prisma.device.update({ where: { id: 'test-retired' }, data: { revoked: true } });
    for (const [token, code] of [
      ['lz-never-issued', 'DEVICE_UNKNOWN'],
      [revoked, 'DEVICE_REVOKED'],
    ]) {
      const health = await t.inject({ method: 'GET', url: '/health' }, bearer(token!));
      expect(health.statusCode, health.body).toBe(200);
      const verify = await t.inject({ method: 'GET', url: '/api/v1/verify?code=LZ1' }, bearer(token!));
      expect(verify.statusCode, verify.body).not.toBe(401);
      expect(verify.json().error?.code).not.toBe(code);
      const guarded = await t.inject({ method: 'GET', url: '/api/v1/trust' }, bearer(token!));
      expect(guarded.statusCode).toBe(401);
      expect(guarded.json().error.code).toBe(code);
    }
  });
});

describe('rate limits behind a reverse proxy (security finding 8)', () => {
  it('by default believes no X-Forwarded-For: a client cannot pick the address it is counted against', async () => {
    t = await buildTestApp({ config: { loginRateLimitPerMinute: 20 } });
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await failedLogin(`203.0.113.${i}`)).statusCode);
    expect(codes.at(-1)).toBe(429);
  });

  it('behind a trusted proxy counts the client the proxy names, so one guesser locks out only itself', async () => {
    t = await buildTestApp({ config: { loginRateLimitPerMinute: 20, trustProxy: ['loopback'] } });
    // The guesser varies the X-Forwarded-For it sends; the proxy appends the address it really came from.
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await failedLogin(`10.9.9.${i}, 203.0.113.7`)).statusCode);
    expect(codes.slice(0, 20).every((code) => code === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const user = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
      headers: { 'x-forwarded-for': '198.51.100.9' },
    });
    expect(user.statusCode, user.body).toBe(200);
  });
});
