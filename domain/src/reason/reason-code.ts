import { z } from 'zod';

/**
 * Every verdict reason, everywhere (agent, server, console), is one of these codes.
 * Machines branch on the code; people read the sentence from `reasonMessages`.
 */
export const reasonCodes = [
  'MISSING',
  'MALFORMED',
  'BAD_SIGNATURE',
  'UNKNOWN_ISSUER',
  'KEY_NOT_VALID',
  'REVOKED',
  'TOO_OLD',
  'ISSUED_IN_FUTURE',
  'QUANTITY_EXCEEDED',
  'INSUFFICIENT_COVERAGE',
  'PRODUCT_MISMATCH',
  'UNIT_MISMATCH',
  'SECOND_DOCUMENT_REQUIRED',
  'UNVERIFIABLE',
  'PAPER_UNVERIFIED',
  'UNVERIFIED_SOURCES',
  'DUPLICATE_READ',
  'SNAPSHOT_STALE',
  'RULE_ERROR',
] as const;

export const ReasonCode = z.enum(reasonCodes);
export type ReasonCode = z.infer<typeof ReasonCode>;

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
