import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';

describe('security headers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  }, 60_000);
  afterAll(async () => t?.close());

  it.each([
    ['an answer', '/health', 200],
    ['a refusal', '/api/v1/trust', 401],
    ['an unknown route', '/api/v1/nowhere', 404],
  ])('sets the helmet headers with our content security policy on %s', async (_what, url, status) => {
    const res = await t.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toContain("img-src 'self' data:");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('does not ask browsers to upgrade a plain HTTP console to HTTPS (an intranet without TLS)', async () => {
    const res = await t.inject({
      method: 'GET',
      url: '/health',
      headers: { host: 'gate-pc.market.lan:3000' },
    });
    expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });

  it('believes X-Forwarded-Proto only from a trusted proxy', async () => {
    const spoofed = await t.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(spoofed.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });
});

describe('security headers behind a TLS proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp({ config: { trustProxy: ['loopback'] } });
  }, 60_000);
  afterAll(async () => t?.close());

  it('asks browsers to upgrade insecure requests on answers served over HTTPS', async () => {
    const res = await t.inject({ method: 'GET', url: '/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    const plain = await t.inject({ method: 'GET', url: '/health', headers: { 'x-forwarded-proto': 'http' } });
    expect(String(plain.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });
});
