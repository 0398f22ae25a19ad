import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter, parseCreditCode } from '../src/subject/credit-code.ts';
import {
  isWithinRegion,
  parseRegionCode,
  regionAncestors,
  regionPrefix,
} from '../src/subject/region-code.ts';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  // Published codes of two Shenzhen companies, and one built here for a Changsha cooperative (93 = 农民专业合作社).
  it('accepts real codes whose check character is right', () => {
    expect(parseCreditCode('91440300708461136T').ok).toBe(true);
    expect(parseCreditCode('914403001922038216').ok).toBe(true);
  });

  it('computes the check character, including letters and the wrap of 31 to 0', () => {
    expect(creditCodeCheckCharacter('93430121MA4L0Y2X1')).toBe('U');
    expect(creditCodeCheckCharacter('93430121MA4L0Y2XP')).toBe('0');
    expect(creditCodeCheckCharacter('91440300708461136')).toBe('T');
  });

  it('splits a valid code into its parts', () => {
    const parsed = parseCreditCode('93430121MA4L0Y2X1U');
    expect(parsed).toMatchObject({
      ok: true,
      creditCode: {
        registrationAuthority: '9',
        organisationType: '3',
        region: { code: '430121', level: 'county', province: '430000', city: '430100' },
        organisationCode: 'MA4L0Y2X1',
      },
    });
  });

  it('normalises lower case and full-width input', () => {
    expect(parseCreditCode('９１４４０３００７０８４６１１３６ｔ').ok).toBe(true);
    expect(parseCreditCode('91440300708461136t').ok).toBe(true);
  });

  it('rejects a wrong check character', () => {
    expect(parseCreditCode('91440300708461136U')).toMatchObject({
      ok: false,
      error: { code: 'CHECK_CHARACTER' },
    });
  });

  it('rejects letters outside the charset (I, O, S, V, Z)', () => {
    expect(parseCreditCode('91440300708461136I')).toMatchObject({ ok: false, error: { code: 'CHARSET' } });
  });

  it('rejects the wrong length', () => {
    expect(parseCreditCode('9144030070846113')).toMatchObject({ ok: false, error: { code: 'LENGTH' } });
  });

  it('rejects a valid-looking code from no province', () => {
    const first17 = '91990300708461136';
    const code = `${first17}${creditCodeCheckCharacter(first17)}`;
    expect(parseCreditCode(code)).toMatchObject({ ok: false, error: { code: 'REGION' } });
  });
});

describe('GB/T 2260 region codes', () => {
  it('knows the level of a code', () => {
    expect(parseRegionCode('430000')).toMatchObject({ ok: true, region: { level: 'province' } });
    expect(parseRegionCode('430100')).toMatchObject({
      ok: true,
      region: { level: 'city', province: '430000' },
    });
    expect(parseRegionCode('430121')).toMatchObject({
      ok: true,
      region: { level: 'county', city: '430100' },
    });
  });

  it('refuses malformed and unknown-province codes', () => {
    expect(parseRegionCode('4301')).toMatchObject({ ok: false, error: { code: 'REGION_FORMAT' } });
    expect(parseRegionCode('990100')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROVINCE' } });
  });

  it('scopes a regulator by prefix', () => {
    expect(regionPrefix('430000')).toBe('43');
    expect(regionPrefix('430100')).toBe('4301');
    expect(isWithinRegion('430121', '430100')).toBe(true);
    expect(isWithinRegion('430121', '430000')).toBe(true);
    expect(isWithinRegion('440305', '430000')).toBe(false);
    expect(isWithinRegion('430221', '430100')).toBe(false);
  });

  it('lists the enclosing regions widest first', () => {
    expect(regionAncestors('430121')).toEqual(['430000', '430100', '430121']);
    expect(regionAncestors('430000')).toEqual(['430000']);
  });
});
