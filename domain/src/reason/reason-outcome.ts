import type { ReasonCode } from './reason-code.ts';

/** What one reason does to a lot. `notice` is recorded and shown but never changes the outcome. */
export type ReasonSeverity = 'reject' | 'review' | 'notice';

/**
 * THE outcome table: the one place that says which reasons refuse a lot and which send it to a person.
 * Rules in a rule set must agree with it (`validateRuleSet` checks).
 *
 * - reject: the documents prove something is wrong (forged, voided, used up, wrong product, expired).
 * - review: we cannot tell offline, or the fault may be ours (garbled scan, unknown issuer not yet synced,
 *   device clock, stale snapshot), or goods partly from sources nobody could verify (a vendor's paper); a person
 *   decides, and the lot is never accepted automatically.
 * - notice: harmless (the same code read twice).
 */
export const reasonSeverity: Record<ReasonCode, ReasonSeverity> = {
  MISSING: 'reject',
  MALFORMED: 'review',
  BAD_SIGNATURE: 'reject',
  UNKNOWN_ISSUER: 'review',
  KEY_NOT_VALID: 'reject',
  REVOKED: 'reject',
  TOO_OLD: 'reject',
  ISSUED_IN_FUTURE: 'review',
  QUANTITY_EXCEEDED: 'reject',
  INSUFFICIENT_COVERAGE: 'reject',
  PRODUCT_MISMATCH: 'reject',
  UNIT_MISMATCH: 'review',
  SECOND_DOCUMENT_REQUIRED: 'reject',
  UNVERIFIABLE: 'review',
  PAPER_UNVERIFIED: 'review',
  UNVERIFIED_SOURCES: 'review',
  DUPLICATE_READ: 'notice',
  SNAPSHOT_STALE: 'review',
  RULE_ERROR: 'review',
};

/**
 * Within one severity, the order in which a person should hear about reasons: forgery and voiding first,
 * then overuse and mismatch, then what a person can fix at the gate.
 */
export const reasonPriority: readonly ReasonCode[] = [
  'BAD_SIGNATURE',
  'REVOKED',
  'KEY_NOT_VALID',
  'QUANTITY_EXCEEDED',
  'PRODUCT_MISMATCH',
  'INSUFFICIENT_COVERAGE',
  'TOO_OLD',
  'SECOND_DOCUMENT_REQUIRED',
  'MISSING',
  'SNAPSHOT_STALE',
  'UNKNOWN_ISSUER',
  'ISSUED_IN_FUTURE',
  'UNIT_MISMATCH',
  'MALFORMED',
  'RULE_ERROR',
  'UNVERIFIABLE',
  'PAPER_UNVERIFIED',
  'UNVERIFIED_SOURCES',
  'DUPLICATE_READ',
];

const severityRank: Record<ReasonSeverity, number> = { reject: 0, review: 1, notice: 2 };

/** Sort key: more severe first, then by `reasonPriority`. */
export function compareReasonCodes(a: ReasonCode, b: ReasonCode): number {
  return (
    severityRank[reasonSeverity[a]] - severityRank[reasonSeverity[b]] ||
    reasonPriority.indexOf(a) - reasonPriority.indexOf(b)
  );
}
