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
});
