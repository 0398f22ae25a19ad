import type { ReasonCode } from '@liangzheng/domain/reason/reason-code';
import { reasonSeverity } from '@liangzheng/domain/reason/reason-outcome';
import type { LotCoverage, VerdictOutcome, VerdictResult } from '@liangzheng/domain/verdict/verdict-result';
import type { Verification } from '../api/api.ts';

/** What the gate screen shows: one outcome and the one reason to tell a person (none on a clean accept). */
export interface ShownVerdict {
  outcome: VerdictOutcome;
  reason: ReasonCode | null;
  /** what it is about: a product name, a plate, a lot */
  subject: string;
  at: string;
  /** a pending lot: how much of it the certificates read so far cover */
  coverage?: LotCoverage | null;
  /** the lot judged, when it is a lot verdict: its review buttons act on it */
  lotId?: string;
  /** the scan it answers: the POST answer and the live event of one scan are one verdict */
  scanId?: string;
}

/** Which lot and scan a verdict answers, when it answers one. */
export interface VerdictOrigin {
  lotId?: string;
  scanId?: string;
}

/** A lot's verdict as the gate shows it, whether it came from this screen, the live feed or closing the lot. */
export function verdictOfLot(
  verdict: VerdictResult,
  subject: string,
  at: string,
  origin: VerdictOrigin = {},
): ShownVerdict {
  return {
    ...origin,
    outcome: verdict.outcome,
    reason: verdict.primary?.code ?? null,
    subject,
    at,
    coverage: verdict.outcome === 'pending' ? (verdict.coverage ?? null) : null,
  };
}

/**
 * A check by hand with no lot chosen is not a lot verdict, but it answers the same question for the one code:
 * valid is green; otherwise the domain's outcome table says red or amber.
 */
export function verdictOfVerification(verification: Verification, at: string): ShownVerdict {
  const reason = verification.valid ? null : (verification.reason ?? 'MALFORMED');
  const outcome: VerdictOutcome =
    reason === null ? 'accept' : reasonSeverity[reason] === 'reject' ? 'reject' : 'review';
  return { outcome, reason, subject: verification.certificate?.productName ?? '', at };
}
