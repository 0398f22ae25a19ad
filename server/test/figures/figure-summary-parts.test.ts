import { describe, expect, it } from 'vitest';
import { chunksOf, dayBounds, staleDays } from '../../src/figures/figure-summary.ts';

describe('the figures summary, its pure parts', () => {
  it('groups stale (day, market) pairs by day, each market once, days and markets in order', () => {
    expect(
      staleDays([
        { day: '2026-03-02', marketId: 2 },
        { day: '2026-03-01', marketId: 7n },
        { day: '2026-03-02', marketId: 1 },
        { day: '2026-03-02', marketId: 2 },
      ]),
    ).toEqual([
      ['2026-03-01', [7]],
      ['2026-03-02', [1, 2]],
    ]);
    expect(staleDays([])).toEqual([]);
  });

  it('cuts a day at the offset: Beijing midnight is 16:00 UTC the day before', () => {
    expect(dayBounds('2026-03-16', 480)).toEqual({
      start: new Date('2026-03-15T16:00:00Z'),
      end: new Date('2026-03-16T16:00:00Z'),
    });
    expect(dayBounds('2026-12-31', -300).end).toEqual(new Date('2027-01-01T05:00:00Z'));
  });

  it('splits long market lists into statements of bounded size', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 500)).toEqual([]);
  });
});
