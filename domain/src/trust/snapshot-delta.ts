import { z } from 'zod';
import type { Ed25519, Signer } from '../certificate/ed25519.ts';
import { RuleSet } from '../rules/rule-set.ts';
import {
  canonicalJson,
  openDocument,
  type SignedDocument,
  signDocument,
  type TrustFailure,
} from './signed-document.ts';
import { ForeignPlatform, TrustIssuer, TrustKey, TrustProduct, TrustSnapshot } from './snapshot.ts';

/**
 * The change from one snapshot version to the next. Keys are identified by public key (keyIds may collide),
 * issuers by issuerId, products by code. Lists that change rarely travel whole, and only when they changed.
 */
export const SnapshotDelta = z.object({
  format: z.literal(1),
  fromVersion: z.number().int().nonnegative(),
  toVersion: z.number().int().nonnegative(),
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  keys: z.array(TrustKey),
  removedKeys: z.array(z.string()),
  issuers: z.array(TrustIssuer),
  removedIssuers: z.array(z.number().int().nonnegative()),
  products: z.array(TrustProduct),
  removedProducts: z.array(z.number().int().nonnegative()),
  revoked: z.array(z.string().regex(/^[0-9a-f]{16}$/)),
  unrevoked: z.array(z.string().regex(/^[0-9a-f]{16}$/)),
  /** certificates newly flagged for review; flags are never lifted, so there is no removal list */
  unverifiedSources: z.array(z.string().regex(/^[0-9a-f]{16}$/)).default([]),
  codeHosts: z.array(z.string()).optional(),
  foreignPlatforms: z.array(ForeignPlatform).optional(),
  rules: RuleSet.optional(),
});
export type SnapshotDelta = z.infer<typeof SnapshotDelta>;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The one ordering snapshots are kept in, so that applying a delta and building afresh give equal values. */
export function normaliseSnapshot(snapshot: TrustSnapshot): TrustSnapshot {
  return {
    ...snapshot,
    keys: [...snapshot.keys].sort((a, b) => byText(a.keyId, b.keyId) || byText(a.publicKey, b.publicKey)),
    issuers: [...snapshot.issuers].sort((a, b) => a.issuerId - b.issuerId),
    products: [...snapshot.products].sort((a, b) => a.code - b.code),
    revoked: [...new Set(snapshot.revoked)].sort(byText),
    unverifiedSources: [...new Set(snapshot.unverifiedSources)].sort(byText),
  };
}

function changes<T>(before: readonly T[], after: readonly T[], idOf: (item: T) => string | number) {
  const old = new Map(before.map((item) => [idOf(item), canonicalJson(item)]));
  const current = new Set(after.map(idOf));
  return {
    upserted: after.filter((item) => old.get(idOf(item)) !== canonicalJson(item)),
    removed: [...old.keys()].filter((id) => !current.has(id)),
  };
}

export function diffSnapshots(old: TrustSnapshot, next: TrustSnapshot): SnapshotDelta {
  const keys = changes(old.keys, next.keys, (key) => key.publicKey);
  const issuers = changes(old.issuers, next.issuers, (issuer) => issuer.issuerId);
  const products = changes(old.products, next.products, (product) => product.code);
  const oldRevoked = new Set(old.revoked);
  const nextRevoked = new Set(next.revoked);
  const oldFlagged = new Set(old.unverifiedSources);
  const changed = <T>(a: T, b: T) => canonicalJson(a) !== canonicalJson(b);
  return {
    format: 1,
    fromVersion: old.version,
    toVersion: next.version,
    issuedAt: next.issuedAt,
    expiresAt: next.expiresAt,
    keys: keys.upserted,
    removedKeys: keys.removed as string[],
    issuers: issuers.upserted,
    removedIssuers: issuers.removed as number[],
    products: products.upserted,
    removedProducts: products.removed as number[],
    revoked: [...nextRevoked].filter((id) => !oldRevoked.has(id)),
    unrevoked: [...oldRevoked].filter((id) => !nextRevoked.has(id)),
    unverifiedSources: next.unverifiedSources.filter((id) => !oldFlagged.has(id)),
    ...(changed(old.codeHosts, next.codeHosts) ? { codeHosts: next.codeHosts } : {}),
    ...(changed(old.foreignPlatforms, next.foreignPlatforms)
      ? { foreignPlatforms: next.foreignPlatforms }
      : {}),
    ...(changed(old.rules, next.rules) ? { rules: next.rules } : {}),
  };
}

function merge<T>(
  before: readonly T[],
  upserted: readonly T[],
  removed: readonly unknown[],
  idOf: (item: T) => unknown,
) {
  const gone = new Set([...removed, ...upserted.map(idOf)]);
  return [...before.filter((item) => !gone.has(idOf(item))), ...upserted];
}

/** Refuses a delta made from any version other than the one held: the gate must then fetch a full snapshot. */
export function applySnapshotDelta(
  old: TrustSnapshot,
  delta: SnapshotDelta,
): { ok: true; snapshot: TrustSnapshot } | { ok: false; failure: TrustFailure } {
  if (delta.fromVersion !== old.version || delta.toVersion <= delta.fromVersion) {
    return { ok: false, failure: { reason: 'SNAPSHOT_STALE', detail: 'version_mismatch' } };
  }
  const removedRevocations = new Set(delta.unrevoked);
  const applied = TrustSnapshot.safeParse({
    ...old,
    version: delta.toVersion,
    issuedAt: delta.issuedAt,
    expiresAt: delta.expiresAt,
    keys: merge(old.keys, delta.keys, delta.removedKeys, (key) => key.publicKey),
    issuers: merge(old.issuers, delta.issuers, delta.removedIssuers, (issuer) => issuer.issuerId),
    products: merge(old.products, delta.products, delta.removedProducts, (product) => product.code),
    revoked: [...old.revoked.filter((id) => !removedRevocations.has(id)), ...delta.revoked],
    unverifiedSources: [...old.unverifiedSources, ...delta.unverifiedSources],
    codeHosts: delta.codeHosts ?? old.codeHosts,
    foreignPlatforms: delta.foreignPlatforms ?? old.foreignPlatforms,
    rules: delta.rules ?? old.rules,
  });
  if (!applied.success) return { ok: false, failure: { reason: 'MALFORMED', detail: 'malformed_body' } };
  return { ok: true, snapshot: normaliseSnapshot(applied.data) };
}

export function signSnapshotDelta(delta: SnapshotDelta, rootSigner: Signer): SignedDocument {
  return signDocument('LZ-TRUST-DELTA-1', SnapshotDelta.parse(delta), rootSigner);
}

export function openSignedDelta(
  signed: unknown,
  rootPublicKeys: readonly Uint8Array[],
  ed25519: Ed25519,
): { ok: true; delta: SnapshotDelta } | { ok: false; failure: TrustFailure } {
  const opened = openDocument('LZ-TRUST-DELTA-1', signed, SnapshotDelta, rootPublicKeys, ed25519);
  return opened.ok ? { ok: true, delta: opened.value } : opened;
}
