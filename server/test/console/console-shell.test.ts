import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isShellRoute } from '../../src/console/console-shell.ts';
import { buildTestApp, type TestApp } from '../helper.ts';

const shell = '<!doctype html><html lang="zh-CN"><body><div id="root"></div></body></html>';

describe('the built console, served by the server', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lz-console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), shell);
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("lz")');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log("lz")'));
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js.gz'), gzipSync('console.log("lz")'));
    t = await buildTestApp({ config: { consoleDir: dir } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / and every browser route with the app shell, revalidated on each load', async () => {
    for (const url of ['/', '/login', '/regulator/trace?id=0123456789abcdef', '/verify/LZ1.AB-C']) {
      const res = await t.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toBe(shell);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves hashed assets for good', async () => {
    const res = await t.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("lz")');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('sends the precompressed copy the browser accepts, brotli first', async () => {
    const brotli = await t.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toContain('javascript');
    expect(brotli.rawPayload).toEqual(brotliCompressSync('console.log("lz")'));
    expect(brotli.headers['cache-control']).toContain('immutable');

    const gzip = await t.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.rawPayload).toEqual(gzipSync('console.log("lz")'));
  });

  it('keeps JSON 404s for the API, missing files and other methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/no-such-thing'],
      ['GET', '/assets/missing.js'],
      ['POST', '/somewhere'],
    ] as const) {
      const res = await t.inject({ method, url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('leaves the API, health and public pages to their routes', async () => {
    expect((await t.inject({ method: 'GET', url: '/health' })).json().ok).toBe(true);
    expect((await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json().openapi).toBe('3.0.3');
  });
});

describe('without a built console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: { consoleDir: path.join(tmpdir(), 'lz-no-console-here') } });
  }, 60_000);
  afterAll(async () => t?.close());

  it('still starts, and browser routes say how to build it', async () => {
    expect(t.app.consoleShell.served).toBe(false);
    const res = await t.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    expect(res.json().error.message).toContain('npm run build -w console');
    expect((await t.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('isShellRoute', () => {
  it('takes page GETs only', () => {
    expect(isShellRoute('GET', '/gate')).toBe(true);
    expect(isShellRoute('GET', '/regulator/dashboard?from=2026-03-01')).toBe(true);
    expect(isShellRoute('GET', '/api/v1/lots')).toBe(false);
    expect(isShellRoute('GET', '/socket.io/?EIO=4')).toBe(false);
    expect(isShellRoute('GET', '/favicon.ico')).toBe(false);
    expect(isShellRoute('GET', '/assets/chunk-new')).toBe(false);
    expect(isShellRoute('GET', '/verify/LZ1AB.CD-EF%2FGH')).toBe(true);
    expect(isShellRoute('HEAD', '/gate')).toBe(false);
  });
});
