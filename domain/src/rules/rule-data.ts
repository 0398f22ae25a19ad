import type { LogicValue } from './logic.ts';

/**
 * The data a rule's logic sees (`{"var": "certificate.issuedAt"}` …). Times are ISO 8601 strings.
 * Part of the rules contract: a rule set written against these names works on agent and server alike.
 */
export interface RuleData {
  [key: string]: LogicValue;
  /** the verdict clock */
  now: string;
  lot: {
    productName: string;
    category: string;
    quantity: number;
    unit: string;
    /** second-document kinds the lot's categories require */
    requiredDocuments: string[];
    /** second-document kinds presented */
    presentedDocuments: string[];
    /** required kinds not presented */
    missingDocuments: string[];
  };
  /** null in lot-scope rules */
  certificate: {
    id: string | null;
    /** 'producer' | 'repack' for codes, 'paper' for paper certificates */
    kind: string;
    category: string;
    productName: string;
    quantity: number;
    unit: string;
    basis: string;
    /** the issue time; for paper, which carries a date only, the start of that day in China time */
    issuedAt: string;
    /** earliest and latest moments it may have been issued (equal for codes; the day's bounds for paper) */
    issuedEarliest: string;
    issuedLatest: string;
  } | null;
  /** the defaults for the certificate's category (certificate scope) or the lot's category (lot scope) */
  category: { maxAgeHours: number; requiredDocuments: string[] } | null;
}
