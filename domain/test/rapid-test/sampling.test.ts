import { describe, expect, it } from 'vitest';
import { type SamplingCandidate, samplingWeight, suggestSamples } from '../../src/rapid-test/sampling.ts';
import type { CreditGrade } from '../../src/trust/snapshot.ts';

const now = new Date('2026-03-15T06:00:00Z');
const lot = (lotId: string, creditGrade: CreditGrade | null, over: Partial<SamplingCandidate> = {}) => ({
  lotId,
  creditGrade,
  tests: 0,
  positives: 0,
  lastPositiveAt: null,
  ...over,
});

describe('samplingWeight', () => {
  it('doubles with each grade down, and weighs a producer without a grade as C', () => {
    const weights = (['A', 'B', 'C', 'D', null] as const).map((g) => samplingWeight(lot('x', g), now).weight);
    expect(weights).toEqual([1, 2, 4, 8, 4]);
  });

  it('weighs up past positives, a recent one twice as much', () => {
    const old = samplingWeight(
      lot('x', 'A', { tests: 3, positives: 1, lastPositiveAt: new Date('2025-01-01') }),
      now,
    );
    const recent = samplingWeight(
      lot('x', 'A', { tests: 3, positives: 1, lastPositiveAt: new Date('2026-03-01') }),
      now,
    );
    expect(old.weight).toBe(2);
    expect(recent.weight).toBe(4);
    expect(recent.reasons).toContain('90 天内有阳性');
  });

  it('halves the weight after five clean tests', () => {
    expect(samplingWeight(lot('x', 'B', { tests: 5 }), now).weight).toBe(1);
  });
});

describe('suggestSamples', () => {
  const pool = Array.from({ length: 40 }, (_, i) => lot(`lot-${i}`, (['A', 'B', 'C', 'D'] as const)[i % 4]!));

  it('draws the same sample from the same seed, whatever order the lots come in', () => {
    const first = suggestSamples(pool, { count: 5, seed: 'market-1:2026-03-15', now }).map(
      (s) => s.candidate.lotId,
    );
    const reversed = suggestSamples([...pool].reverse(), { count: 5, seed: 'market-1:2026-03-15', now });
    expect(reversed.map((s) => s.candidate.lotId)).toEqual(first);
    expect(new Set(first).size).toBe(5);
  });

  it('samples lower grades more often over many draws', () => {
    const drawn: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    for (let day = 0; day < 400; day++) {
      for (const s of suggestSamples(pool, { count: 4, seed: `day-${day}`, now }))
        drawn[s.candidate.creditGrade!]!++;
    }
    expect(drawn.D).toBeGreaterThan(drawn.C!);
    expect(drawn.C).toBeGreaterThan(drawn.B!);
    expect(drawn.B).toBeGreaterThan(drawn.A!);
  });

  it('returns every lot when asked for more than there are', () => {
    expect(suggestSamples(pool.slice(0, 3), { count: 10, seed: 's', now })).toHaveLength(3);
  });
});
