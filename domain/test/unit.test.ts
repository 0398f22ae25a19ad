import { describe, expect, it } from 'vitest';
import { convertQuantity, parseUnit, toMilli, toMilliIn } from '../src/unit/unit.ts';

describe('unit conversion', () => {
  it('converts jin and gongjin into kilograms', () => {
    expect(convertQuantity(3, 'jin', 'kg')).toEqual({ ok: true, value: 1.5 });
    expect(convertQuantity(2, 'gongjin', 'jin')).toEqual({ ok: true, value: 4 });
  });

  it('converts tonnes and grams', () => {
    expect(convertQuantity(1.2, 't', 'kg')).toEqual({ ok: true, value: 1200 });
    expect(convertQuantity(250, 'g', 'jin')).toEqual({ ok: true, value: 0.5 });
  });

  it('compares in integer milli-units without float drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toMilli(0.1, 't') + toMilli(0.2, 't')).toBe(toMilli(0.3, 't'));
    expect(toMilli(1, 'jin')).toBe(500);
  });

  it('never converts a count into a weight', () => {
    expect(convertQuantity(10, 'head', 'kg')).toEqual({
      ok: false,
      error: { code: 'COUNT_NOT_WEIGHT', from: 'head', to: 'kg' },
    });
    expect(toMilliIn(5, 'kg', 'box')).toMatchObject({ ok: false, error: { code: 'COUNT_NOT_WEIGHT' } });
  });

  it('never converts one count unit into another', () => {
    expect(convertQuantity(3, 'box', 'piece')).toMatchObject({
      ok: false,
      error: { code: 'DIFFERENT_COUNTS' },
    });
    expect(convertQuantity(3, 'box', 'box')).toEqual({ ok: true, value: 3 });
  });

  it('reads unit words people type', () => {
    const words: Record<string, string> = {
      公斤: 'gongjin',
      斤: 'jin',
      千克: 'kg',
      克: 'g',
      吨: 't',
      头: 'head',
      只: 'head',
      件: 'piece',
      箱: 'box',
      KG: 'kg',
      ｋｇ: 'kg',
      ' kg ': 'kg',
    };
    for (const [word, unit] of Object.entries(words)) expect(parseUnit(word)).toEqual({ ok: true, unit });
  });

  it('reports an unknown unit word as a coded error', () => {
    expect(parseUnit('两')).toEqual({ ok: false, error: { code: 'UNKNOWN_UNIT', word: '两' } });
  });
});
