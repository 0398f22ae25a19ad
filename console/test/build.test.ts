// @vitest-environment node
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { chartsOutsideEntry } from '../vite-plugins/charts-outside-entry.ts';

const consoleDir = path.resolve(import.meta.dirname, '..');
const outDirs: string[] = [];

function tempOutDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lz-console-build-'));
  outDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the console build', () => {
  it('keeps the charts library out of the first screen and writes brotli and gzip copies', async () => {
    const outDir = tempOutDir();
    await build({ root: consoleDir, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const entryName = /src="\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(entryName).toBeDefined();
    const entry = readFileSync(path.join(outDir, entryName!), 'utf8');
    expect(entry).not.toContain('echarts');

    const assets = readdirSync(path.join(outDir, 'assets'));
    const charts = assets.find((name) => /^charts-.*\.js$/.test(name));
    expect(charts).toBeDefined();
    expect(readFileSync(path.join(outDir, 'assets', charts!), 'utf8')).toContain('echarts');

    const entryFile = path.join(outDir, entryName!);
    expect(brotliDecompressSync(readFileSync(`${entryFile}.br`)).toString('utf8')).toBe(entry);
    expect(gunzipSync(readFileSync(`${entryFile}.gz`)).toString('utf8')).toBe(entry);
    expect(readFileSync(`${entryFile}.br`).length).toBeLessThan(entry.length / 3);
  }, 120_000);

  it('refuses a first screen that imports the charts library eagerly', async () => {
    const outDir = tempOutDir();
    const root = path.join(consoleDir, 'test', 'fixtures', 'eager-charts');
    await expect(
      build({
        root,
        configFile: false,
        logLevel: 'silent',
        plugins: [chartsOutsideEntry()],
        build: { outDir, emptyOutDir: true },
      }),
    ).rejects.toThrow(/holds the charts library/);
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(false);
  }, 120_000);
});
