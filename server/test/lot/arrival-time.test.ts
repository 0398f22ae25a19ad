import { describe, expect, it } from 'vitest';
import { arrivalTime, maxArrivalAgeMs } from '../../src/lot/arrival-time.ts';

describe('arrival time', () => {
  const now = new Date('2026-11-29T04:00:00.000Z');

  it('is now when the gate states none', () => {
    expect(arrivalTime(undefined, now)).toEqual(now);
  });

  it('keeps a stated time in the past, with its offset', () => {
    expect(arrivalTime('2026-11-29T09:30:00+08:00', now).toISOString()).toBe('2026-11-29T01:30:00.000Z');
  });

  it('never lies after now, nor further back than the longest offline spell', () => {
    expect(arrivalTime('2026-11-29T05:00:00Z', now)).toEqual(now);
    expect(arrivalTime('2020-01-01T00:00:00Z', now).getTime()).toBe(now.getTime() - maxArrivalAgeMs);
  });
});
