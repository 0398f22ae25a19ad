import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCodeIndexes, loadScript } from '../../src/simulate/script.ts';

function scriptFile(steps: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'script-')), 'script.json');
  writeFileSync(path, JSON.stringify({ name: 'x', steps }));
  return path;
}

describe('simulation scripts', () => {
  it('accept the shipped demo script', () => {
    const result = loadScript(new URL('../../simulate/demo-gate.json', import.meta.url).pathname);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.script.steps.some((step) => step.kind === 'demo-code')).toBe(true);
  });

  it('the demo script shows every input kind: HID, keyboard wedge, camera and by hand', () => {
    const result = loadScript(new URL('../../simulate/demo-gate.json', import.meta.url).pathname);
    if (!result.ok) throw new Error(result.problems.join());
    const kinds = new Set(result.script.steps.map((step) => step.kind));
    expect([...kinds].sort()).toEqual(
      ['demo-code', 'hid-synthesized', 'keys', 'lot', 'manual', 'video', 'wait'].sort(),
    );
    // the demo server issues one code per index, in the order of its lots (demo-codes.ts)
    expect([...new Set(demoCodeIndexes(result.script))]).toEqual([0, 1, 2, 3]);
  });

  it('a video file that is not there is SCRIPT_VIDEO_NOT_FOUND, naming the step and the resolved path', () => {
    const path = scriptFile([
      { kind: 'manual', text: 'x' },
      { kind: 'video', path: 'clips/missing.mp4' },
    ]);
    const result = loadScript(path);
    expect(result).toMatchObject({ ok: false, code: 'SCRIPT_VIDEO_NOT_FOUND' });
    if (result.ok) return;
    expect(result.problems).toEqual([
      `steps.1.path: 找不到视频文件 video file not found: ${join(path, '../clips/missing.mp4')}`,
    ]);
  });

  it('a video step with a demo index out of range, both sources or neither is SCRIPT_INVALID', () => {
    const problems = (steps: unknown[]) => {
      const result = loadScript(scriptFile(steps));
      expect(result).toMatchObject({ ok: false, code: 'SCRIPT_INVALID' });
      return result.ok ? '' : result.problems.join('\n');
    };
    expect(problems([{ kind: 'video', demoCode: 99 }])).toContain('steps.0.demoCode');
    expect(problems([{ kind: 'video', demoCode: -1 }])).toContain('steps.0.demoCode');
    expect(problems([{ kind: 'video', demoCode: 0, path: 'a.mp4' }])).toContain('either demoCode or path');
    expect(problems([{ kind: 'video' }])).toContain('either demoCode or path');
    expect(problems([{ kind: 'video', path: 'a.mp4', distortion: 'noise' }])).toContain('steps.0.distortion');
    expect(problems([{ kind: 'video', demoCode: 0, distortion: 'fog' }])).toContain('steps.0.distortion');
    expect(problems([{ kind: 'hid-synthesized', demoCode: 21 }])).toContain('steps.0.demoCode');
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
