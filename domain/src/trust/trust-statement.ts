import { z } from 'zod';
import type { Ed25519, Signer } from '../certificate/ed25519.ts';
import { openDocument, SignedDocument, signDocument, type TrustFailure } from './signed-document.ts';

const Version = z.number().int().nonnegative();

/**
 * "Version `version` is still the current trust data at `at`", signed by the root. A gate counts the age of
 * its snapshot from the latest such time, so only signed words can keep a snapshot fresh: an unsigned or replayed
 * answer can never stop the clock. `expiresAt` is the expiry of the server's snapshot of that version, which is
 * rebuilt hourly; without it a quiet market's gates would see their snapshot expire though nothing changed.
 */
export const TrustCurrent = z.object({
  format: z.literal(1),
  version: Version,
  at: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type TrustCurrent = z.infer<typeof TrustCurrent>;

/**
 * "At `at`, no trust version above `version` up to `abandonedUpTo` is in my history", signed by the root: the one
 * statement that lets a gate take a snapshot older than its own (a restored backup, a rebuilt server). It names
 * the gate's version and its time, so it cannot be replayed to a gate that has since taken newer data.
 */
export const TrustRollback = z
  .object({
    format: z.literal(1),
    version: Version,
    abandonedUpTo: Version,
    at: z.iso.datetime(),
  })
  .refine((rollback) => rollback.abandonedUpTo > rollback.version, {
    message: 'a rollback abandons versions above the one it returns to',
  });
export type TrustRollback = z.infer<typeof TrustRollback>;

/** `GET /api/v1/trust`: the whole snapshot, the increment from the gate's version, or word that it is current. */
export const TrustAnswer = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('full'),
    version: Version,
    snapshot: SignedDocument,
    current: SignedDocument,
    /** only when the gate said which newer version it holds (`rollbackFrom`) and the server has no such version */
    rollback: SignedDocument.optional(),
  }),
  z.object({
    kind: z.literal('delta'),
    fromVersion: Version,
    version: Version,
    delta: SignedDocument,
    current: SignedDocument,
  }),
  z.object({ kind: z.literal('current'), version: Version, current: SignedDocument }),
]);
export type TrustAnswer = z.infer<typeof TrustAnswer>;

export function signTrustCurrent(statement: TrustCurrent, rootSigner: Signer): SignedDocument {
  return signDocument('LZ-TRUST-CURRENT-1', TrustCurrent.parse(statement), rootSigner);
}

export function openTrustCurrent(
  signed: unknown,
  rootPublicKeys: readonly Uint8Array[],
  ed25519: Ed25519,
): { ok: true; value: TrustCurrent } | { ok: false; failure: TrustFailure } {
  return openDocument('LZ-TRUST-CURRENT-1', signed, TrustCurrent, rootPublicKeys, ed25519);
}

export function signTrustRollback(statement: TrustRollback, rootSigner: Signer): SignedDocument {
  return signDocument('LZ-TRUST-ROLLBACK-1', TrustRollback.parse(statement), rootSigner);
}

export function openTrustRollback(
  signed: unknown,
  rootPublicKeys: readonly Uint8Array[],
  ed25519: Ed25519,
): { ok: true; value: TrustRollback } | { ok: false; failure: TrustFailure } {
  return openDocument('LZ-TRUST-ROLLBACK-1', signed, TrustRollback, rootPublicKeys, ed25519);
}
