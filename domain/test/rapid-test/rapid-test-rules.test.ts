import { describe, expect, it } from 'vitest';
import {
  checkDecision,
  checkRetest,
  type PositiveCase,
  type RapidTestCheck,
  retestByOf,
  stageOf,
} from '../../src/rapid-test/rapid-test-rules.ts';

const testedAt = new Date('2026-03-15T02:00:00Z');
const withinWindow = new Date('2026-03-15T05:59:59Z');
const windowEnd = new Date('2026-03-15T06:00:00Z');

const positive = (over: Partial<PositiveCase> = {}): PositiveCase => ({
  result: 'positive',
  retestOfId: null,
  retestBy: retestByOf(testedAt),
  decision: null,
  retestResult: null,
  ...over,
});

const codeOf = (check: RapidTestCheck) => (check.ok ? 'ok' : check.code);

describe('the retest window', () => {
  it('ends four hours after the positive', () => {
    expect(retestByOf(testedAt)).toEqual(windowEnd);
  });

  it('a positive awaits its retest inside the window and is confirmed once the window ends without one', () => {
    expect(stageOf(positive(), withinWindow)).toBe('awaiting_retest');
    expect(stageOf(positive(), windowEnd)).toBe('confirmed');
  });

  it('a negative retest clears the goods and a positive one confirms them', () => {
    expect(stageOf(positive({ retestResult: 'negative' }), withinWindow)).toBe('cleared');
    expect(stageOf(positive({ retestResult: 'positive' }), withinWindow)).toBe('confirmed');
  });

  it('negatives and retests hold nothing', () => {
    expect(stageOf(positive({ result: 'negative' }), withinWindow)).toBeNull();
    expect(stageOf(positive({ retestOfId: 'first' }), withinWindow)).toBeNull();
  });
});

describe('checkRetest', () => {
  it('accepts a laboratory retest within the window', () => {
    expect(codeOf(checkRetest(positive(), 'lab', withinWindow))).toBe('ok');
  });

  it('retest_with_a_rapid_method_is_RETEST_METHOD_NOT_ALLOWED', () => {
    expect(codeOf(checkRetest(positive(), 'enzyme_inhibition', withinWindow))).toBe(
      'RETEST_METHOD_NOT_ALLOWED',
    );
    expect(codeOf(checkRetest(positive(), 'colloidal_gold', withinWindow))).toBe('RETEST_METHOD_NOT_ALLOWED');
  });

  it('retest_after_the_window_is_RETEST_WINDOW_CLOSED', () => {
    expect(codeOf(checkRetest(positive(), 'lab', windowEnd))).toBe('RETEST_WINDOW_CLOSED');
  });

  it('a_second_retest_is_RETEST_ALREADY_RECORDED', () => {
    expect(codeOf(checkRetest(positive({ retestResult: 'negative' }), 'lab', withinWindow))).toBe(
      'RETEST_ALREADY_RECORDED',
    );
  });

  it('retest_of_a_negative_is_RAPID_TEST_NOT_POSITIVE', () => {
    expect(codeOf(checkRetest(positive({ result: 'negative' }), 'lab', withinWindow))).toBe(
      'RAPID_TEST_NOT_POSITIVE',
    );
  });

  it('retest_after_a_decision_is_ALREADY_DECIDED', () => {
    expect(codeOf(checkRetest(positive({ decision: 'destroyed' }), 'lab', withinWindow))).toBe(
      'ALREADY_DECIDED',
    );
  });
});

describe('checkDecision', () => {
  it('decision_before_the_window_ends_without_a_retest_is_DECISION_BEFORE_WINDOW_ENDS', () => {
    expect(codeOf(checkDecision(positive(), 'destroyed', withinWindow))).toBe('DECISION_BEFORE_WINDOW_ENDS');
  });

  it('a retest result allows the decision before the window ends', () => {
    expect(codeOf(checkDecision(positive({ retestResult: 'positive' }), 'destroyed', withinWindow))).toBe(
      'ok',
    );
    expect(codeOf(checkDecision(positive({ retestResult: 'negative' }), 'released', withinWindow))).toBe(
      'ok',
    );
  });

  it('after the window a lapsed positive is destroyed or returned, never released', () => {
    expect(codeOf(checkDecision(positive(), 'destroyed', windowEnd))).toBe('ok');
    expect(codeOf(checkDecision(positive(), 'returned', windowEnd))).toBe('ok');
    expect(codeOf(checkDecision(positive(), 'released', windowEnd))).toBe('DECISION_NOT_ALLOWED');
  });

  it('goods_cleared_by_a_negative_retest_can_only_be_released (DECISION_NOT_ALLOWED)', () => {
    expect(codeOf(checkDecision(positive({ retestResult: 'negative' }), 'destroyed', windowEnd))).toBe(
      'DECISION_NOT_ALLOWED',
    );
  });

  it('a_second_decision_is_ALREADY_DECIDED', () => {
    expect(codeOf(checkDecision(positive({ decision: 'returned' }), 'destroyed', windowEnd))).toBe(
      'ALREADY_DECIDED',
    );
  });

  it('decision_on_a_negative_is_RAPID_TEST_NOT_POSITIVE', () => {
    expect(codeOf(checkDecision(positive({ result: 'negative' }), 'released', windowEnd))).toBe(
      'RAPID_TEST_NOT_POSITIVE',
    );
  });
});
