import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';

describe('config', () => {
  it('listens on loopback port 3000 with a SQLite file under DATA_DIR by default', () => {
    const loaded = loadConfig({ DATA_DIR: '/srv/lz' });
    expect(loaded.ok && loaded.config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: 'file:/srv/lz/liangzheng.db',
      codeHost: 'LZ.DEMO.CN',
      publicUrl: 'http://127.0.0.1:3000',
      demo: undefined,
      rateLimitPerMinute: 600,
    });
  });

  it('takes 0.0.0.0 and the other settings only when asked', () => {
    const loaded = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      LIANGZHENG_CODE_HOST: 'LZ.HN.GOV.CN',
      LIANGZHENG_PUBLIC_URL: 'https://lz.example.cn/',
      LIANGZHENG_DEMO: '0',
      LIANGZHENG_RATE_LIMIT_PER_MINUTE: '1200',
    });
    expect(loaded.ok && loaded.config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      codeHost: 'LZ.HN.GOV.CN',
      publicUrl: 'https://lz.example.cn',
      demo: false,
      rateLimitPerMinute: 1200,
    });
  });

  it('believes no proxy unless told which (security finding 8)', () => {
    const unset = loadConfig({});
    expect(unset.ok && unset.config.trustProxy).toEqual([]);
    const proxies = loadConfig({ LIANGZHENG_TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(proxies.ok && proxies.config.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    const everyone = loadConfig({ LIANGZHENG_TRUST_PROXY: 'true' });
    expect(everyone.ok || everyone.issues).toEqual([expect.stringMatching(/^LIANGZHENG_TRUST_PROXY: /)]);
  });

  it('refuses bad values with CONFIG_INVALID naming each', () => {
    const loaded = loadConfig({
      PORT: 'eighty',
      LIANGZHENG_CODE_HOST: 'lz.demo.cn',
      LIANGZHENG_ADMIN_PASSWORD: 'short',
    });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.code).toBe('CONFIG_INVALID');
    expect(loaded.issues.map((i) => i.split(':')[0])).toEqual([
      'PORT',
      'LIANGZHENG_ADMIN_PASSWORD',
      'LIANGZHENG_CODE_HOST',
    ]);
  });
});
