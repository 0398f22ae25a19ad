import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfigError, loadConfig, parseConfig } from '../../src/config/config.ts';

const minimal = { server: { url: 'http://localhost:3000', deviceToken: 'demo-gate-token-1' }, gateId: 1 };

describe('config', () => {
  it('fills defaults and resolves the journal path against the config folder', () => {
    const result = parseConfig(minimal, '/etc/gate/agent.json', '/etc/gate');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.maxSnapshotAgeHours).toBe(24);
    expect(result.config.sound.output).toBe('speaker');
    expect(result.config.journalPath).toBe('/etc/gate/data/gate-journal.sqlite');
    expect(result.config.inputs).toEqual([{ kind: 'manual' }]);
  });

  it('refuses unknown fields, bad URLs and a beeper without a command, naming each field', () => {
    const result = parseConfig(
      {
        ...minimal,
        server: { url: 'ftp://x', deviceToken: 'demo-gate-token-1' },
        sound: { output: 'beeper' },
        x: 1,
      },
      'agent.json',
      '/',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CONFIG_INVALID');
    const text = result.error.problems.join('\n');
    expect(text).toContain('server.url');
    expect(text).toContain('(root)');
    expect(describeConfigError(result.error)).toContain('配置文件内容有误');
  });

  it('takes a HID POS layout for one scanner model, and refuses one that does not fit its report', () => {
    const layout = {
      name: 'vendor-x',
      reportId: 2,
      reportLength: 64,
      lengthOffset: 1,
      dataOffset: 5,
      dataCapacity: 56,
      symbologyOffset: 2,
      symbologyLength: 3,
      continuationOffset: 63,
      continuationMask: 1,
    };
    const scanner = { kind: 'hid', mode: 'pos', vendorId: 0x0c2e, productId: 0x0b6a };
    const good = parseConfig({ ...minimal, inputs: [{ ...scanner, posLayout: layout }] }, 'agent.json', '/');
    expect(good.ok && good.config.inputs[0]).toEqual({ ...scanner, posLayout: layout });

    const misfit = parseConfig(
      { ...minimal, inputs: [{ ...scanner, posLayout: { ...layout, dataCapacity: 60 } }] },
      'agent.json',
      '/',
    );
    expect(!misfit.ok && misfit.error.problems.join('\n')).toContain('dataCapacity must fit');

    const keyboard = parseConfig(
      { ...minimal, inputs: [{ ...scanner, mode: 'keyboard', posLayout: layout }] },
      'agent.json',
      '/',
    );
    expect(!keyboard.ok && keyboard.error.problems.join('\n')).toContain('posLayout needs mode "pos"');
  });

  it('rejects an input of an unknown kind', () => {
    const result = parseConfig({ ...minimal, inputs: [{ kind: 'telepathy' }] }, 'agent.json', '/');
    expect(result.ok).toBe(false);
  });

  it('accepts the shipped example config', () => {
    const result = loadConfig(new URL('../../config.example.json', import.meta.url).pathname);
    expect(result).toMatchObject({
      ok: true,
      config: { gateId: 1, inputs: expect.arrayContaining([{ kind: 'manual' }]) },
    });
  });

  it('tells a missing file from a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    expect(loadConfig(join(dir, 'nope.json'))).toMatchObject({
      ok: false,
      error: { code: 'CONFIG_NOT_FOUND' },
    });
    writeFileSync(join(dir, 'bad.json'), '{ server:');
    expect(loadConfig(join(dir, 'bad.json'))).toMatchObject({
      ok: false,
      error: { code: 'CONFIG_NOT_JSON' },
    });
    writeFileSync(join(dir, 'good.json'), JSON.stringify(minimal));
    expect(loadConfig(join(dir, 'good.json'))).toMatchObject({ ok: true, config: { gateId: 1 } });
  });
});
