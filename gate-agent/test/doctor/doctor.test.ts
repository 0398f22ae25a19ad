import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { type DoctorDeps, formatChecks, runDoctor } from '../../src/doctor/doctor.ts';
import { Journal } from '../../src/journal/journal.ts';

function configWith(inputs: unknown[], journalPath: string) {
  const result = parseConfig(
    {
      server: { url: 'http://127.0.0.1:9', deviceToken: 'token-123456', rootPublicKeys: ['A'.repeat(43)] },
      gateId: 1,
      inputs,
      sound: { output: 'none' },
      journalPath,
    },
    'x',
    '/',
  );
  if (!result.ok) throw new Error('bad test config');
  return result.config;
}

const deps = (overrides: Partial<DoctorDeps> = {}): DoctorDeps => ({
  hid: {
    list: () => [],
    open: () => {
      throw new Error('no');
    },
  },
  devices: () => ['null', 'video0'],
  hasCommand: () => true,
  fetch: (async () => {
    throw new Error('ECONNREFUSED');
  }) as typeof fetch,
  now: () => new Date('2026-05-17T04:00:00Z'),
  ...overrides,
});

const journalPath = () => join(mkdtempSync(join(tmpdir(), 'doctor-')), 'j.sqlite');

describe('doctor', () => {
  it('fails on a missing libusb when a HID scanner is configured, in Chinese and English', async () => {
    const checks = await runDoctor(
      configWith([{ kind: 'hid' }], journalPath()),
      deps({
        hid: {
          list: () => {
            throw new Error('libusb-1.0.so.0: cannot open shared object file');
          },
          open: () => {
            throw new Error();
          },
        },
      }),
    );
    const hid = checks.find((c) => c.id === 'hid')!;
    expect(hid.level).toBe('fail');
    expect(hid.zh).toContain('libusb');
    expect(hid.en).toContain('libusb');
  });

  it('fails when a configured camera device is absent, and lists the ones present', async () => {
    const checks = await runDoctor(
      configWith([{ kind: 'camera', url: '/dev/video3' }], journalPath()),
      deps(),
    );
    expect(checks.find((c) => c.id === 'camera')).toMatchObject({
      level: 'fail',
      detail: 'present: /dev/video0',
    });
  });

  it('only warns when the server is unreachable, but fails with no snapshot yet', async () => {
    const checks = await runDoctor(configWith([], journalPath()), deps());
    expect(checks.find((c) => c.id === 'server')?.level).toBe('warn');
    expect(checks.find((c) => c.id === 'snapshot')?.level).toBe('fail');
    expect(formatChecks(checks)).toMatch(/\[FAIL\] 尚无核验数据/);
  });

  it('reports the snapshot age and the journal state from the journal', async () => {
    const path = journalPath();
    const journal = new Journal(path);
    journal.saveSnapshot({ version: 9, envelope: '{}', receivedAt: new Date('2026-05-17T01:00:00Z') });
    journal.close();
    const checks = await runDoctor(configWith([], path), deps());
    expect(checks.find((c) => c.id === 'snapshot')).toMatchObject({
      level: 'ok',
      en: 'Trust snapshot v9, 3.0 h old',
    });
    expect(checks.find((c) => c.id === 'journal')?.en).toContain('0 scans');
  });

  it('fails on a revoked device token', async () => {
    const fetchStub = (async (url: URL) =>
      new Response(null, {
        status: String(url).endsWith('/healthz') ? 200 : 401,
      })) as unknown as typeof fetch;
    const checks = await runDoctor(configWith([], journalPath()), deps({ fetch: fetchStub }));
    expect(checks.find((c) => c.id === 'token')?.level).toBe('fail');
  });
});
