import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../src/rules/default-rule-set.ts';
import {
  evaluateLogic,
  type LogicValue,
  logicOperators,
  maxLogicDepth,
  validateLogic,
} from '../src/rules/logic.ts';
import { validateRuleSet } from '../src/rules/validate-rule-set.ts';

const value = (expr: unknown, data: LogicValue = null) => evaluateLogic(expr, data);

describe('evaluateLogic', () => {
  const data = { lot: { quantity: 40, unit: 'kg', docs: ['a', 'b'] }, now: '2026-03-01T08:00:00Z' };

  it('reads dot paths with var, and defaults when missing', () => {
    expect(value({ var: 'lot.quantity' }, data)).toEqual({ ok: true, value: 40 });
    expect(value({ var: 'lot.docs.1' }, data)).toEqual({ ok: true, value: 'b' });
    expect(value({ var: 'lot.nothing' }, data)).toEqual({ ok: true, value: null });
    expect(value({ var: ['lot.nothing', 7] }, data)).toEqual({ ok: true, value: 7 });
    expect(value({ var: '' }, 5)).toEqual({ ok: true, value: 5 });
  });

  it('does not read inherited properties', () => {
    expect(value({ var: 'lot.constructor' }, data)).toEqual({ ok: true, value: null });
  });

  it('branches with if and compares strictly', () => {
    expect(value({ if: [{ '===': [{ var: 'lot.unit' }, 'kg'] }, 'weight', 'count'] }, data)).toEqual({
      ok: true,
      value: 'weight',
    });
    expect(value({ '===': [1, '1'] })).toEqual({ ok: true, value: false });
    expect(value({ '!==': [1, '1'] })).toEqual({ ok: true, value: true });
  });

  it('orders numbers, with a three-argument between', () => {
    expect(value({ '<': [1, 2] })).toEqual({ ok: true, value: true });
    expect(value({ '<=': [1, { var: 'lot.quantity' }, 40] }, data)).toEqual({ ok: true, value: true });
    expect(value({ '<': [1, 40, 40] })).toEqual({ ok: true, value: false });
    expect(value({ '>': [3, 2] })).toEqual({ ok: true, value: true });
    expect(value({ '>=': [2, 3] })).toEqual({ ok: true, value: false });
  });

  it('short-circuits and/or and returns the deciding operand', () => {
    expect(value({ and: [true, 0, { '/': [1, 0] }] })).toEqual({ ok: true, value: 0 });
    expect(value({ or: [false, 'yes', { '/': [1, 0] }] })).toEqual({ ok: true, value: 'yes' });
    expect(value({ '!': [[]] })).toEqual({ ok: true, value: true });
    expect(value({ '!!': ['x'] })).toEqual({ ok: true, value: true });
  });

  it('tests membership in arrays and strings', () => {
    expect(value({ in: ['b', { var: 'lot.docs' }] }, data)).toEqual({ ok: true, value: true });
    expect(value({ in: ['猪', '猪肉'] })).toEqual({ ok: true, value: true });
  });

  it('does arithmetic', () => {
    expect(value({ '+': [1, 2, 3] })).toEqual({ ok: true, value: 6 });
    expect(value({ '-': [5] })).toEqual({ ok: true, value: -5 });
    expect(value({ '*': [2, 3] })).toEqual({ ok: true, value: 6 });
    expect(value({ '/': [1, 4] })).toEqual({ ok: true, value: 0.25 });
  });

  it('adds time and compares ISO times', () => {
    expect(value({ plusTime: ['2026-03-01T08:00:00Z', 72, 'hour'] })).toEqual({
      ok: true,
      value: '2026-03-04T08:00:00.000Z',
    });
    expect(value({ plusTime: ['2026-01-31T00:00:00Z', 1, 'month'] })).toEqual({
      ok: true,
      value: '2026-03-03T00:00:00.000Z',
    });
    expect(value({ after: [{ var: 'now' }, '2026-03-01T07:59:59+00:00'] }, data)).toEqual({
      ok: true,
      value: true,
    });
    expect(value({ before: ['2026-03-01', { var: 'now' }, '2026-03-02'] }, data)).toEqual({
      ok: true,
      value: true,
    });
    expect(value({ 'not-before': ['2026-03-01T08:00:00Z', { var: 'now' }] }, data)).toEqual({
      ok: true,
      value: true,
    });
    expect(value({ 'not-after': ['2026-03-01T08:00:01Z', { var: 'now' }] }, data)).toEqual({
      ok: true,
      value: false,
    });
  });

  it('returns coded errors instead of throwing', () => {
    expect(value({ '/': [1, 0] })).toMatchObject({ ok: false, error: { code: 'DIVISION_BY_ZERO' } });
    expect(value({ '<': ['a', 1] })).toMatchObject({
      ok: false,
      error: { code: 'TYPE_ERROR', operator: '<' },
    });
    expect(value({ after: ['yesterday', '2026-01-01'] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_DATETIME' },
    });
    expect(value({ eval: ['x'] })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATOR', path: '/eval' },
    });
    expect(value({ if: [true, 1] })).toMatchObject({ ok: false, error: { code: 'BAD_ARITY' } });
    expect(value({ a: 1, b: 2 })).toMatchObject({ ok: false, error: { code: 'BAD_EXPRESSION' } });
  });

  it('bounds recursion depth', () => {
    let deep: unknown = true;
    for (let i = 0; i <= maxLogicDepth + 1; i++) deep = { '!': [deep] };
    expect(value(deep)).toMatchObject({ ok: false, error: { code: 'TOO_DEEP' } });
    expect(validateLogic(deep)).toMatchObject([{ code: 'TOO_DEEP' }]);
  });

  it('never throws on random expressions and data', () => {
    const leaf = fc.oneof(
      fc.constantFrom(
        null,
        true,
        false,
        0,
        1,
        -1.5,
        '',
        'kg',
        '2026-03-01T08:00:00Z',
        'lot.quantity',
        'hour',
      ),
      fc.double(),
      fc.string({ maxLength: 6 }),
    );
    const { expr } = fc.letrec((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('expr'), { maxLength: 4 }),
        fc
          .tuple(fc.constantFrom(...logicOperators, 'nope'), fc.array(tie('expr'), { maxLength: 4 }))
          .map(([op, args]) => ({ [op]: args })),
        fc.dictionary(fc.string({ maxLength: 3 }), tie('expr'), { maxKeys: 2 }),
      ),
    }));
    fc.assert(
      fc.property(expr, fc.jsonValue(), (e, d) => {
        const result = evaluateLogic(e, d as LogicValue);
        expect(typeof result.ok).toBe('boolean');
        if (validateLogic(e).length > 0) return;
        // A valid expression may still fail on the data (types, dates), but only with a data error.
        if (!result.ok)
          expect(['TYPE_ERROR', 'BAD_DATETIME', 'DIVISION_BY_ZERO']).toContain(result.error.code);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('validateRuleSet', () => {
  it('accepts the default rule set', () => {
    expect(validateRuleSet(defaultRuleSet)).toEqual({ ok: true, ruleSet: defaultRuleSet });
  });

  it('finds unknown operators and bad arity before evaluation', () => {
    const broken = structuredClone(defaultRuleSet);
    broken.rules[0]!.logic = { and: [{ regex: ['x'] }, { if: [true] }] };
    const result = validateRuleSet(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.code)).toEqual(['UNKNOWN_OPERATOR', 'BAD_ARITY']);
      expect(result.errors[0]).toMatchObject({ ruleId: 'certificate-within-category-age' });
    }
  });

  it('refuses a rule whose outcome disagrees with the outcome table', () => {
    const softened = structuredClone(defaultRuleSet);
    softened.rules[0]!.outcome = 'review';
    expect(validateRuleSet(softened)).toMatchObject({ ok: false, errors: [{ code: 'OUTCOME_CONFLICT' }] });
  });

  it('requires defaults for every covered category', () => {
    const partial = structuredClone(defaultRuleSet);
    delete partial.categoryDefaults.egg;
    expect(validateRuleSet(partial)).toMatchObject({
      ok: false,
      errors: [{ code: 'MISSING_CATEGORY_DEFAULT' }],
    });
  });

  it('refuses repeated rule ids and unknown second-document kinds', () => {
    const odd = structuredClone(defaultRuleSet);
    odd.rules.push(structuredClone(odd.rules[0]!));
    odd.categoryDefaults.egg!.requiredDocuments = ['horoscope'];
    const result = validateRuleSet(odd);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.code)).toEqual(['UNKNOWN_DOCUMENT_KIND', 'DUPLICATE_RULE_ID']);
  });

  it('refuses a malformed rule set', () => {
    const result = validateRuleSet({ version: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.path)).toEqual(['/version', '/categoryDefaults', '/rules']);
  });
});
