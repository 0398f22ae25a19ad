import type { Ed25519, Signer } from '../certificate/ed25519.ts';
import { openDocument, type SignedDocument, signDocument, type TrustFailure } from './signed-document.ts';
import { TrustSnapshot } from './snapshot.ts';

export function signSnapshot(snapshot: TrustSnapshot, rootSigner: Signer): SignedDocument {
  return signDocument('LZ-TRUST-SNAPSHOT-1', TrustSnapshot.parse(snapshot), rootSigner);
}

/**
 * Opens a root-signed snapshot. An expired one is still returned beside the failure: the caller decides
 * whether to keep judging in a degraded mode (an expired trust list once stopped a country's verifiers at once).
 */
export function openSignedSnapshot(
  signed: unknown,
  rootPublicKeys: readonly Uint8Array[],
  ed25519: Ed25519,
  now: Date,
): { ok: true; snapshot: TrustSnapshot } | { ok: false; failure: TrustFailure; snapshot?: TrustSnapshot } {
  const opened = openDocument('LZ-TRUST-SNAPSHOT-1', signed, TrustSnapshot, rootPublicKeys, ed25519);
  if (!opened.ok) return opened;
  const snapshot = opened.value;
  if (now.getTime() >= Date.parse(snapshot.expiresAt)) {
    return { ok: false, failure: { reason: 'SNAPSHOT_STALE', detail: 'expired' }, snapshot };
  }
  return { ok: true, snapshot };
}
