import type { ReasonCode } from '@liangzheng/domain/reason/reason-code';
import { reasonSeverity } from '@liangzheng/domain/reason/reason-outcome';
import type { VerdictOutcome } from '@liangzheng/domain/verdict/verdict-result';
import type { Verification } from '../api/api.ts';

/** What the gate screen shows: one outcome and the one reason to tell a person (none on a clean accept). */
export interface ShownVerdict {
  outcome: VerdictOutcome;
  reason: ReasonCode | null;
  /** what it is about: a product name, a plate, a lot */
  subject: string;
  at: string;
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
