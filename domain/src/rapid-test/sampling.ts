import { seededRandom } from '../random/seeded-random.ts';
import type { CreditGrade } from '../trust/snapshot.ts';

/** Lower grades are sampled more often: each grade down doubles the weight. No grade weighs as C. */
export const gradeWeights: Record<CreditGrade, number> = { A: 1, B: 2, C: 4, D: 8 };
const ungradedWeight = gradeWeights.C;

/** Positives in the last 90 days count double: a recent problem matters more than an old one. */
const recentMs = 90 * 24 * 60 * 60 * 1000;
/** Five clean tests in a row halve the weight, so producers with a long clean record are not sampled forever. */
const cleanRecordTests = 5;

export interface SamplingCandidate {
  lotId: string;
  creditGrade: CreditGrade | null;
  /** the producer's rapid tests so far (first tests only) */
  tests: number;
  positives: number;
  lastPositiveAt: Date | null;
}

export interface WeightedCandidate<C extends SamplingCandidate> {
  candidate: C;
  weight: number;
  reasons: string[];
}

export function samplingWeight<C extends SamplingCandidate>(candidate: C, now: Date): WeightedCandidate<C> {
  const reasons: string[] = [];
  let weight = candidate.creditGrade ? gradeWeights[candidate.creditGrade] : ungradedWeight;
  reasons.push(candidate.creditGrade ? `信用等级 ${candidate.creditGrade}` : '无信用等级');
  if (candidate.positives > 0) {
    weight *= 1 + Math.min(candidate.positives, 5);
    reasons.push(`曾有 ${candidate.positives} 次阳性`);
    if (candidate.lastPositiveAt && now.getTime() - candidate.lastPositiveAt.getTime() < recentMs) {
      weight *= 2;
      reasons.push('90 天内有阳性');
    }
  } else if (candidate.tests >= cleanRecordTests) {
    weight /= 2;
    reasons.push(`${candidate.tests} 次检测均为阴性`);
  }
  return { candidate, weight, reasons };
}

/**
 * Which lots to sample: a weighted draw without replacement (Efraimidis–Spirakis: each lot's key is u^(1/w), the
 * largest keys win), seeded so the same seed over the same lots draws the same sample. Candidates are taken in
 * lotId order first, so the order they arrive in does not change the draw.
 */
export function suggestSamples<C extends SamplingCandidate>(
  candidates: readonly C[],
  options: { count: number; seed: string; now: Date },
): WeightedCandidate<C>[] {
  const next = seededRandom(options.seed);
  const ordered = [...candidates].sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));
  return ordered
    .map((candidate) => {
      const weighted = samplingWeight(candidate, options.now);
      return { weighted, key: next() ** (1 / weighted.weight) };
    })
    .sort((a, b) => b.key - a.key)
    .slice(0, options.count)
    .map((entry) => entry.weighted);
}
