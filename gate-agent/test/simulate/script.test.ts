import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScript } from '../../src/simulate/script.ts';

describe('simulation scripts', () => {
  it('accept the shipped demo script', () => {
    const result = loadScript(new URL('../../simulate/demo-gate.json', import.meta.url).pathname);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.script.steps.some((step) => step.kind === 'demo-code')).toBe(true);
  });

  it('name the step and field that is wrong', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'script-')), 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ name: 'x', steps: [{ kind: 'hid', vendorId: 1, productId: 2, reports: ['zz'] }] }),
    );
    const result = loadScript(path);
    expect(result).toMatchObject({ ok: false, code: 'SCRIPT_INVALID' });
    if (result.ok) return;
    expect(result.problems.join()).toContain('steps.0.reports.0');
  });
});
