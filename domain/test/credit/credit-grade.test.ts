import { describe, expect, it } from 'vitest';
import { assessCredit, type CreditRecord, gradeOfScore } from '../../src/credit/credit-grade.ts';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
const empty: CreditRecord = { violations: [], rapidTests: [], recalls: [], issuedAt: [] };
const points = (record: CreditRecord, rule: string) =>
  assessCredit(record, now).rules.find((r) => r.rule === rule)?.points;

describe('credit grade', () => {
  it('a new producer with no record is a B (base 80 plus the clean-year 5)', () => {
    const result = assessCredit(empty, now);
    expect(result.score).toBe(85);
    expect(result.grade).toBe('B');
  });

  it('grades by score floors: 90 A, 75 B, 60 C, below D', () => {
    expect([90, 89.99, 75, 74.99, 60, 59.99].map(gradeOfScore)).toEqual(['A', 'B', 'B', 'C', 'C', 'D']);
  });

  it('a confirmed violation costs 10 points, a forgery 25', () => {
    expect(
      points(
        { ...empty, violations: [{ reason: 'MISSING', outcome: 'confirmed', at: daysAgo(1) }] },
        'violations',
      ),
    ).toBe(-10);
    expect(
      points(
        { ...empty, violations: [{ reason: 'BAD_SIGNATURE', outcome: 'confirmed', at: daysAgo(1) }] },
        'violations',
      ),
    ).toBe(-25);
  });

  it('a rectified violation costs half, a dismissed one nothing', () => {
    expect(
      points(
        { ...empty, violations: [{ reason: 'MISSING', outcome: 'rectified', at: daysAgo(1) }] },
        'violations',
      ),
    ).toBe(-5);
    expect(
      points(
        { ...empty, violations: [{ reason: 'MISSING', outcome: 'dismissed', at: daysAgo(1) }] },
        'violations',
      ),
    ).toBe(0);
  });

  it('an undecided violation costs 3 until it is decided', () => {
    expect(
      points(
        { ...empty, violations: [{ reason: 'MISSING', outcome: 'pending', at: daysAgo(1) }] },
        'pending',
      ),
    ).toBe(-3);
  });

  it('a re-use attempt (QUANTITY_EXCEEDED) costs 15 under its own rule', () => {
    const record = {
      ...empty,
      violations: [{ reason: 'QUANTITY_EXCEEDED', outcome: 'confirmed' as const, at: daysAgo(1) }],
    };
    expect(points(record, 'reuse')).toBe(-15);
    expect(points(record, 'violations')).toBe(0);
  });

  it('a confirmed rapid-test positive costs 20; an unconfirmed one nothing', () => {
    expect(
      points(
        { ...empty, rapidTests: [{ result: 'positive', confirmed: true, at: daysAgo(1) }] },
        'confirmed_positives',
      ),
    ).toBe(-20);
    expect(
      points(
        { ...empty, rapidTests: [{ result: 'positive', confirmed: false, at: daysAgo(1) }] },
        'confirmed_positives',
      ),
    ).toBe(0);
  });

  it('negative rapid tests earn a point each, at most 5', () => {
    const tests = Array.from({ length: 8 }, () => ({
      result: 'negative' as const,
      confirmed: false,
      at: daysAgo(3),
    }));
    expect(points({ ...empty, rapidTests: tests.slice(0, 2) }, 'negative_tests')).toBe(2);
    expect(points({ ...empty, rapidTests: tests }, 'negative_tests')).toBe(5);
  });

  it('a recall costs 20', () => {
    expect(points({ ...empty, recalls: [{ at: daysAgo(10) }] }, 'recalls')).toBe(-20);
  });

  it('issuing in each of the last six 30-day windows earns a point per window', () => {
    const monthly = [5, 35, 65, 95, 125, 155, 400].map(daysAgo);
    expect(points({ ...empty, issuedAt: monthly }, 'regular_issuing')).toBe(6);
    expect(points({ ...empty, issuedAt: [daysAgo(1), daysAgo(2)] }, 'regular_issuing')).toBe(1);
  });

  it('old problems count less: full for 90 days, half to a year, a quarter to two, then not at all', () => {
    const at = (days: number) => points({ ...empty, recalls: [{ at: daysAgo(days) }] }, 'recalls');
    expect([at(30), at(200), at(500), at(800)]).toEqual([-20, -10, -5, 0]);
  });

  it('a year without a problem earns 5; a problem inside the year takes it away', () => {
    expect(points({ ...empty, recalls: [{ at: daysAgo(400) }] }, 'clean_year')).toBe(5);
    const recent = assessCredit({ ...empty, recalls: [{ at: daysAgo(100) }] }, now);
    expect(recent.rules.find((r) => r.rule === 'clean_year')?.points).toBe(0);
    expect(recent.lastProblemAt).toEqual(daysAgo(100));
  });

  it('a regular, clean producer is an A; repeated re-use and a recall make a D', () => {
    const good: CreditRecord = {
      ...empty,
      issuedAt: [5, 35, 65, 95, 125, 155].map(daysAgo),
      rapidTests: Array.from({ length: 5 }, () => ({
        result: 'negative' as const,
        confirmed: false,
        at: daysAgo(3),
      })),
    };
    expect(assessCredit(good, now).grade).toBe('A');
    const bad: CreditRecord = {
      ...empty,
      violations: [
        { reason: 'QUANTITY_EXCEEDED', outcome: 'confirmed', at: daysAgo(5) },
        { reason: 'QUANTITY_EXCEEDED', outcome: 'confirmed', at: daysAgo(9) },
      ],
      recalls: [{ at: daysAgo(20) }],
    };
    expect(assessCredit(bad, now)).toMatchObject({ grade: 'D', score: 30 });
  });
});

describe('credit grade, counted once', () => {
  it('the violation a confirmed positive opens is counted by the rapid-test rule only', () => {
    const record: CreditRecord = {
      ...empty,
      violations: [{ reason: 'RAPID_TEST_POSITIVE', outcome: 'confirmed', at: daysAgo(1) }],
      rapidTests: [{ result: 'positive', confirmed: true, at: daysAgo(1) }],
    };
    expect(points(record, 'violations')).toBe(0);
    expect(points(record, 'confirmed_positives')).toBe(-20);
  });
});
