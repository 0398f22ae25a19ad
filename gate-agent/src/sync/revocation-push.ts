import { TrustRevocationEvent } from '@liangzheng/domain';
import type { TrustCache } from './trust-download.ts';

export type RevocationPushCode =
  /** the event is not a `TrustRevocationEvent`: ignored, the next snapshot brings what it meant */
  | 'REVOCATION_MALFORMED'
  /** applied in memory, but the journal could not keep it: a restart before the next snapshot would forget it */
  | 'REVOCATION_NOT_STORED';

export type RevocationPush =
  | { ok: true; applied: number }
  | { ok: false; code: RevocationPushCode; detail: string };

/**
 * A `trust:revocation` pushed live (docs/api.md): parsed with the shared schema and applied to the trust
 * snapshot as one batch. Never throws: a bad payload or a failed write is an answer with a code, for the log.
 */
export function applyRevocationPush(payload: unknown, trust: Pick<TrustCache, 'revoke'>): RevocationPush {
  const parsed = TrustRevocationEvent.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      code: 'REVOCATION_MALFORMED',
      detail: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  try {
    return { ok: true, applied: trust.revoke(parsed.data.certificateIds) };
  } catch (cause) {
    return { ok: false, code: 'REVOCATION_NOT_STORED', detail: String(cause) };
  }
}
