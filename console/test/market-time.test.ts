import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketClock, marketDate, marketTime } from '../src/time/market-time.ts';

/**
 * 00:30 in Changsha is 16:30 UTC the day before. The screens run in browsers set to any zone; they must show the
 * market's day and clock. Run with the process in UTC, where the browser's own zone would give the wrong day.
 */
describe('market time', () => {
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    process.env.TZ = zone;
  });
  const halfPastMidnight = '2026-12-06T16:30:00.000Z';

  it('dates a moment by Beijing time, in Chinese and in English', () => {
    expect(marketDate(halfPastMidnight, 'zh-CN')).toBe('2026/12/7');
    expect(marketDate(halfPastMidnight, 'en')).toBe('12/7/2026');
  });

  it('shows the clock on the 24-hour Beijing clock', () => {
    expect(marketClock(halfPastMidnight, 'zh-CN')).toBe('00:30:00');
    expect(marketTime(halfPastMidnight, 'zh-CN')).toBe('2026/12/7 00:30:00');
    expect(marketTime(halfPastMidnight, 'en')).toBe('12/7/2026, 00:30:00');
  });
});
