import type { CreditGrade } from '../trust/snapshot.ts';

/**
 * A producer's credit grade from its record (docs/credit.md is the formula in words; keep the two in step).
 * Pure: the record and the clock come in, a grade with the points each rule gave comes out.
 */

const dayMs = 24 * 60 * 60 * 1000;

/** Every producer starts here: a new producer with no record is a B, as registration has always defaulted to. */
export const baseScore = 80;

/** The lowest score of each grade. */
export const gradeFloors: readonly { grade: CreditGrade; floor: number }[] = [
  { grade: 'A', floor: 90 },
  { grade: 'B', floor: 75 },
  { grade: 'C', floor: 60 },
  { grade: 'D', floor: Number.NEGATIVE_INFINITY },
];

/** Reasons that say the certificate was forged or used after it stopped being valid: the worst a producer can do. */
const forgeryReasons = new Set([
  'BAD_SIGNATURE',
  'UNKNOWN_ISSUER',
  'KEY_NOT_VALID',
  'REVOKED',
  'ISSUED_IN_FUTURE',
]);

/** The violation a confirmed rapid-test positive opens: counted by the rapid-test rule, not twice. */
const rapidTestReason = 'RAPID_TEST_POSITIVE';

/** Points a confirmed violation costs, by reason; re-use (QUANTITY_EXCEEDED) is counted by its own rule. */
export function violationPenalty(reason: string): number {
  return forgeryReasons.has(reason) ? 25 : 10;
}

/** Re-use attempts: a code presented again beyond its quantity. */
export const reusePenalty = 15;
/** A rapid-test positive confirmed by the lab retest (or by the window running out). */
export const confirmedPositivePenalty = 20;
/** A recall of the producer's certificates. */
export const recallPenalty = 20;
/** A violation still open or under review weighs a little, until it is decided. */
export const pendingPenalty = 3;
/** A negative rapid test, up to this many points. */
export const negativeTestBonus = { each: 1, max: 5 };
/** Issuing in each of the last six calendar months (30-day windows), up to 6 points. */
export const regularityBonus = { months: 6, each: 1 };
/** No problem for a year: the record is clean. */
export const cleanYearBonus = 5;

/**
 * How much an old problem still counts: in full for 90 days, half up to a year, a quarter up to two years, then
 * not at all. A producer that mends its ways climbs back.
 */
export function ageFactor(at: Date, now: Date): number {
  const days = (now.getTime() - at.getTime()) / dayMs;
  if (days < 90) return 1;
  if (days < 365) return 0.5;
  if (days < 730) return 0.25;
  return 0;
}

export type ViolationOutcome = 'pending' | 'confirmed' | 'rectified' | 'dismissed';

export interface CreditRecord {
  violations: readonly { reason: string; outcome: ViolationOutcome; at: Date }[];
  rapidTests: readonly { result: 'negative' | 'positive'; confirmed: boolean; at: Date }[];
  recalls: readonly { at: Date }[];
  /** when each certificate (or a day's certificates) was issued; only the last six months are read */
  issuedAt: readonly Date[];
}

export interface CreditRuleResult {
  rule: string;
  points: number;
  count: number;
}

export interface CreditAssessment {
  grade: CreditGrade;
  score: number;
  rules: CreditRuleResult[];
  lastProblemAt: Date | null;
}

/** A rectified violation was put right: it costs half. Dismissed ones cost nothing. */
const outcomeFactor: Record<ViolationOutcome, number> = {
  pending: 0,
  confirmed: 1,
  rectified: 0.5,
  dismissed: 0,
};

function violationRules(record: CreditRecord, now: Date): CreditRuleResult[] {
  const counted = record.violations.filter((v) => v.reason !== rapidTestReason);
  const decided = counted.filter((v) => v.outcome === 'confirmed' || v.outcome === 'rectified');
  const reuse = decided.filter((v) => v.reason === 'QUANTITY_EXCEEDED');
  const other = decided.filter((v) => v.reason !== 'QUANTITY_EXCEEDED');
  const pending = counted.filter((v) => v.outcome === 'pending');
  const weigh = (v: CreditRecord['violations'][number], points: number) =>
    points * outcomeFactor[v.outcome] * ageFactor(v.at, now);
  return [
    {
      rule: 'violations',
      count: other.length,
      points: -other.reduce((sum, v) => sum + weigh(v, violationPenalty(v.reason)), 0),
    },
    {
      rule: 'reuse',
      count: reuse.length,
      points: -reuse.reduce((sum, v) => sum + weigh(v, reusePenalty), 0),
    },
    {
      rule: 'pending',
      count: pending.length,
      points: -pending.reduce((sum, v) => sum + pendingPenalty * ageFactor(v.at, now), 0),
    },
  ];
}

function rapidTestRules(record: CreditRecord, now: Date): CreditRuleResult[] {
  const confirmed = record.rapidTests.filter((t) => t.result === 'positive' && t.confirmed);
  const negatives = record.rapidTests.filter((t) => t.result === 'negative' && ageFactor(t.at, now) > 0);
  return [
    {
      rule: 'confirmed_positives',
      count: confirmed.length,
      points: -confirmed.reduce((sum, t) => sum + confirmedPositivePenalty * ageFactor(t.at, now), 0),
    },
    {
      rule: 'negative_tests',
      count: negatives.length,
      points: Math.min(negatives.length * negativeTestBonus.each, negativeTestBonus.max),
    },
  ];
}

function recallRule(record: CreditRecord, now: Date): CreditRuleResult {
  return {
    rule: 'recalls',
    count: record.recalls.length,
    points: -record.recalls.reduce((sum, r) => sum + recallPenalty * ageFactor(r.at, now), 0),
  };
}

/** In how many of the last six 30-day windows the producer issued at least once. */
function regularityRule(record: CreditRecord, now: Date): CreditRuleResult {
  const windows = new Set<number>();
  for (const at of record.issuedAt) {
    const window = Math.floor((now.getTime() - at.getTime()) / (30 * dayMs));
    if (window >= 0 && window < regularityBonus.months) windows.add(window);
  }
  return { rule: 'regular_issuing', count: windows.size, points: windows.size * regularityBonus.each };
}

/** The latest confirmed problem: a decided violation, a confirmed positive or a recall. */
export function lastProblemAt(record: CreditRecord): Date | null {
  const times = [
    ...record.violations
      .filter((v) => v.outcome === 'confirmed' || v.outcome === 'rectified')
      .map((v) => v.at),
    ...record.rapidTests.filter((t) => t.result === 'positive' && t.confirmed).map((t) => t.at),
    ...record.recalls.map((r) => r.at),
  ];
  if (times.length === 0) return null;
  return new Date(Math.max(...times.map((t) => t.getTime())));
}

function cleanYearRule(lastProblem: Date | null, now: Date): CreditRuleResult {
  const clean = lastProblem === null || now.getTime() - lastProblem.getTime() >= 365 * dayMs;
  return { rule: 'clean_year', count: clean ? 1 : 0, points: clean ? cleanYearBonus : 0 };
}

export function gradeOfScore(score: number): CreditGrade {
  return (gradeFloors.find((g) => score >= g.floor) ?? { grade: 'D' as const }).grade;
}

export function assessCredit(record: CreditRecord, now: Date): CreditAssessment {
  const lastProblem = lastProblemAt(record);
  const rules = [
    ...violationRules(record, now),
    ...rapidTestRules(record, now),
    recallRule(record, now),
    regularityRule(record, now),
    cleanYearRule(lastProblem, now),
  ].map((r) => ({ ...r, points: Math.round(r.points * 100) / 100 + 0 }));
  const score = Math.round((baseScore + rules.reduce((sum, r) => sum + r.points, 0)) * 100) / 100;
  return { grade: gradeOfScore(score), score, rules, lastProblemAt: lastProblem };
}

/** One sentence on what a grade means, for the public certificate page. */
export const gradeMeaning: Record<CreditGrade, string> = {
  A: '守信，近期无违规、快检阳性或召回，抽检频次最低。',
  B: '基本守信，记录一般或尚无足够记录。',
  C: '有违规、快检阳性或召回记录，抽检频次加倍。',
  D: '失信，近期问题严重或反复，重点抽检。',
};
