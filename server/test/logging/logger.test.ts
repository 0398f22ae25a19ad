import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { openLogger } from '../../src/logging/logger.ts';
import { buildTestApp } from '../helper.ts';

function configFrom(env: Record<string, string>) {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.issues.join('; '));
  return loaded.config;
}

describe('the server log', () => {
  it('keeps request lines off stdout by default, so the start banner stays readable', () => {
    const logger = openLogger(configFrom({}));
    expect(logger.level).toBe('warn');
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('warn')).toBe(true);
  });

  it('takes LOG_LEVEL when set, and refuses a level that does not exist', () => {
    expect(openLogger(configFrom({ LOG_LEVEL: 'info' })).level).toBe('info');
    const loaded = loadConfig({ LOG_LEVEL: 'loud' });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.issues.join()).toContain('LOG_LEVEL');
  });

  it('writes every request into LIANGZHENG_LOG_FILE', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lz-log-'));
    const logFile = path.join(dir, 'logs', 'liangzheng.log');
    const logger = openLogger(configFrom({ LIANGZHENG_LOG_FILE: logFile }));
    expect(logger.level).toBe('info');
    const t = await buildTestApp({ logger });
    try {
      expect((await t.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
    await new Promise<void>((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; req?: { url: string } });
    expect(lines.some((line) => line.msg === 'incoming request' && line.req?.url === '/health')).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
