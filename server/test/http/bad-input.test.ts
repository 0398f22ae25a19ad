import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '@liangzheng/prisma';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ephemeralKeyring } from '../../src/keyring/keyring.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, TEST_NOW, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const login = (payload: string, contentType = 'application/json') => ({
  method: 'POST' as const,
  url: '/api/v1/auth/login',
  payload,
  headers: { 'content-type': contentType },
});

describe('bad input gets a 4xx with a reason code, never a 500', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    t = await buildTestApp();
    const res = await t.inject(login('{"username": "admin", '));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_JSON');
  });

  it('unknown fields → 400 VALIDATION_FAILED naming the field', async () => {
    t = await buildTestApp();
    const res = await t.inject(login(JSON.stringify({ username: 'admin', password: 'x', role: 'admin' })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ path: 'body' })],
    });
    expect(JSON.stringify(res.json().error.issues)).toContain('role');
  });

  it('oversized body → 413 BODY_TOO_LARGE', async () => {
    t = await buildTestApp();
    const res = await t.inject(
      login(JSON.stringify({ username: 'admin', password: 'x'.repeat(300 * 1024) })),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('a body in an unsupported content type → 415', async () => {
    t = await buildTestApp();
    const res = await t.inject(login('username=admin', 'application/x-www-form-urlencoded'));
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('unknown route → 404 ROUTE_NOT_FOUND', async () => {
    t = await buildTestApp();
    const res = await t.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('a malformed id in the path → 400, and a well-formed unknown one → 404', async () => {
    t = await buildTestApp();
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const bad = await t.inject({ method: 'GET', url: '/api/v1/certificates/not-hex' }, admin);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const missing = await t.inject({ method: 'GET', url: '/api/v1/certificates/0123456789abcdef' }, admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('a duplicate unique key → 409 ALREADY_EXISTS, not a 500', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const stall = { marketId: t.demo!.markets.wholesale, number: 'A-01' };
    const res = await t.inject({ method: 'POST', url: '/api/v1/stalls', payload: stall }, admin);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ALREADY_EXISTS');
  });

  it('too many requests from one user → 429 RATE_LIMITED', async () => {
    t = await buildTestApp({ config: { rateLimitPerMinute: 3 } });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, admin)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const res = await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, admin);
    expect(res.json().error.code).toBe('RATE_LIMITED');
  });
});

describe('device rate limit', () => {
  it('limits each gate device separately → 429 RATE_LIMITED', async () => {
    t = await buildTestApp({ demo: true, config: { rateLimitPerMinute: 2 } });
    const device = { authorization: `Bearer ${t.demo!.deviceToken}` };
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, device)).statusCode);
    // the device is authenticated but not allowed on a console route (403) until its budget runs out
    expect(codes).toEqual([403, 403, 429]);
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, admin)).statusCode).toBe(200);
  });
});

describe('login rate limit', () => {
  it('slows password guessing from one address → 429 RATE_LIMITED', async () => {
    t = await buildTestApp({ config: { loginRateLimitPerMinute: 2 } });
    const attempt = () => t.inject(login(JSON.stringify({ username: 'admin', password: 'guess-guess' })));
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401);
    const third = await attempt();
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('RATE_LIMITED');
  });
});

describe('registry validation', () => {
  const issuer = {
    kind: 'producer',
    name: '湘潭测试农场',
    subjectIdKind: 'uscc',
    contact: '0731-5555 0000',
    regionCode: '430182',
  };

  it('refuses a 统一社会信用代码 with a wrong check character → 400 INVALID_USCC', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/issuers', payload: { ...issuer, subjectId: '91430182MA4P9T6K2X' } },
      admin,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'INVALID_USCC',
      issues: [{ path: 'body.subjectId', message: 'CHECK_CHARACTER' }],
    });
  });

  it('accepts a valid one typed in lower case, stores it normalised, and gives the producer a key', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    // 91350100M000100Y43 is a published example code with a correct check character.
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/issuers', payload: { ...issuer, subjectId: '91350100m000100y43' } },
      admin,
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().subjectId).toBe('91350100M000100Y43');
    const keys = await t.inject({ method: 'GET', url: `/api/v1/issuers/${res.json().id}/keys` }, admin);
    expect(keys.json()).toEqual([
      expect.objectContaining({ status: 'active', rotateAt: expect.any(String) }),
    ]);
  });
});

describe('database unavailable', () => {
  it('answers 503 DATABASE_UNAVAILABLE quickly when the database cannot be reached', async () => {
    const loaded = loadConfig({
      DATA_DIR: path.join(tmpdir(), 'lz-test-data'),
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/none',
    });
    if (!loaded.ok) throw new Error('config');
    const prisma = createPrismaClient(loaded.config.databaseUrl);
    const app = await buildApp({
      prisma,
      config: loaded.config,
      clock: fixedClock(TEST_NOW),
      keyring: ephemeralKeyring(),
    });
    try {
      const started = Date.now();
      const res = await app.inject(login(JSON.stringify({ username: 'admin', password: 'whatever' })));
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await app.close();
      await prisma.$disconnect();
    }
  });
});

describe('OpenAPI', () => {
  it('documents every route with its responses at /api/v1/openapi.json', async () => {
    t = await buildTestApp();
    const res = await t.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/certificates',
        '/api/v1/certificates/{id}/void',
        '/api/v1/markets',
        '/api/v1/auth/login',
      ]),
    );
    const issue = doc.paths['/api/v1/certificates'].post;
    expect(Object.keys(issue.responses)).toEqual(expect.arrayContaining(['201', '400', '403']));
    expect(issue.requestBody.content['application/json'].schema.properties).toHaveProperty('basis');
  });
});
