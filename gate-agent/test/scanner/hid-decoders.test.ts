import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeBootReports,
  emptyBootKeyboardState,
  stepBootKeyboard,
} from '../../src/scanner/hid/boot-keyboard.ts';
import {
  commonHidPosLayout,
  decodeHidPosReports,
  emptyHidPosState,
  stepHidPos,
} from '../../src/scanner/hid/hid-pos.ts';

const report = (...bytes: number[]) => Uint8Array.from(bytes);
const key = (usage: number, modifiers = 0) => report(modifiers, 0, usage, 0, 0, 0, 0, 0);
const release = () => report(0, 0, 0, 0, 0, 0, 0, 0);
const enter = () => key(0x28);

describe('boot-protocol keyboard reports', () => {
  it('applies Left and Right Shift (mask 0x22) to letters, digits and symbols', () => {
    const codes = decodeBootReports([
      key(0x04, 0x02),
      release(),
      key(0x04),
      release(),
      key(0x1e, 0x20),
      release(),
      key(0x38, 0x02),
      release(),
      key(0x33, 0x20),
      key(0x33),
      release(),
      enter(),
    ]);
    expect(codes.map((c) => c.text)).toEqual(['Aa!?:']);
  });

  it('counts a key only when newly pressed, so a held key is one character and "aa" needs a release', () => {
    const held = decodeBootReports([key(0x04), key(0x04), key(0x04), enter()]);
    const twice = decodeBootReports([key(0x04), release(), key(0x04), release(), enter()]);
    expect(held.map((c) => c.text)).toEqual(['a']);
    expect(twice.map((c) => c.text)).toEqual(['aa']);
  });

  it('ignores the ErrorRollOver report (all key slots 0x01) without forgetting what was pressed', () => {
    const codes = decodeBootReports([
      key(0x05),
      report(0, 0, 1, 1, 1, 1, 1, 1),
      key(0x05),
      release(),
      enter(),
    ]);
    expect(codes.map((c) => c.text)).toEqual(['b']);
  });

  it('ends a code at Enter, keypad Enter and Tab, and on idle when no terminator comes', () => {
    const codes = decodeBootReports([
      key(0x06),
      release(),
      enter(),
      release(),
      key(0x07),
      release(),
      key(0x58),
      release(),
      key(0x08),
      release(),
      key(0x2b),
      release(),
      key(0x09),
      release(),
    ]);
    expect(codes.map((c) => [c.text, c.terminator])).toEqual([
      ['c', 'enter'],
      ['d', 'enter'],
      ['e', 'tab'],
      ['f', 'idle'],
    ]);
  });

  it('strips a report-ID prefix byte (9-byte reports) and keeps every raw report for provenance', () => {
    const withId = [
      report(1, 0x02, 0, 0x0b, 0, 0, 0, 0, 0),
      report(1, 0, 0, 0, 0, 0, 0, 0, 0),
      report(1, 0, 0, 0x28, 0, 0, 0, 0, 0),
    ];
    const [code] = decodeBootReports(withId);
    expect(code?.text).toBe('H');
    expect(code?.reports).toEqual(['0102000b0000000000', '010000000000000000', '010000280000000000']);
  });

  it('reports a too-short report as an error value and leaves the state alone', () => {
    const step = stepBootKeyboard(emptyBootKeyboardState, report(0, 0, 4));
    expect(step.error).toEqual({ code: 'bad_report_length', length: 3 });
    expect(step.state).toBe(emptyBootKeyboardState);
  });
});

describe('HID POS reports, common layout', () => {
  const pos = (text: string, continued = false) => {
    const r = new Uint8Array(64);
    const data = Buffer.from(text, 'utf8');
    r[0] = 0x02;
    r[1] = data.length;
    r.set(Buffer.from(']Q1'), 2);
    r.set(data, 5);
    r[63] = continued ? 1 : 0;
    return r;
  };

  it('joins continued reports and decodes UTF-8, with the AIM symbology id', () => {
    const [code] = decodeHidPosReports(commonHidPosLayout, [pos('青菜 500kg ', true), pos('HGZ-0042')]);
    expect(code).toMatchObject({ text: '青菜 500kg HGZ-0042', symbology: ']Q1' });
    expect(code?.reports).toHaveLength(2);
  });

  it('rejects a report with another report id or an impossible length as error values', () => {
    const other = pos('x');
    other[0] = 0x01;
    expect(stepHidPos(commonHidPosLayout, emptyHidPosState, other).error).toEqual({
      code: 'wrong_report_id',
      reportId: 1,
    });
    const long = pos('x');
    long[1] = 57;
    expect(stepHidPos(commonHidPosLayout, emptyHidPosState, long).error?.code).toBe(
      'length_exceeds_capacity',
    );
    expect(stepHidPos(commonHidPosLayout, emptyHidPosState, pos('x').subarray(0, 20)).error?.code).toBe(
      'report_too_short',
    );
  });
});

describe('recorded report fixtures, one folder per scanner model', () => {
  const root = join(import.meta.dirname, '../../fixtures/hid');
  const fixtures = readdirSync(root).flatMap((model) =>
    readdirSync(join(root, model)).map((file) => ({ model, file, path: join(root, model, file) })),
  );

  it('has fixtures for keyboard and HID POS models', () => {
    expect(fixtures.map((f) => f.model).sort()).toEqual([
      'synthetic-boot-keyboard',
      'synthetic-boot-keyboard-report-id',
      'synthetic-hid-pos-common',
    ]);
  });

  for (const { model, file, path } of fixtures) {
    it(`${model}/${file} decodes to the expected texts`, () => {
      const fixture = JSON.parse(readFileSync(path, 'utf8')) as {
        protocol: string;
        reports: string[];
        expected: string[];
      };
      const reports = fixture.reports.map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')));
      const texts =
        fixture.protocol === 'hid-pos'
          ? decodeHidPosReports(commonHidPosLayout, reports).map((c) => c.text)
          : decodeBootReports(reports).map((c) => c.text);
      expect(texts).toEqual(fixture.expected);
    });
  }
});
