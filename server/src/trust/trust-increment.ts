import type { SnapshotDelta, TrustSnapshot } from '@liangzheng/domain';

/** One stored TrustChange row: which kind of record changed, and which one (`ref`). */
export interface TrustChangeRow {
  kind: string;
  ref: string;
}

/** What the database holds about the versions after `since`. */
export interface StoredChanges {
  /** the lowest TrustChange version still stored; undefined when there is none */
  oldest: number | undefined;
  /** when the TrustChange of version `since` was made; undefined when it is not stored */
  sinceAt: Date | undefined;
  /** the rows after `since` up to the current version */
  changes: TrustChangeRow[];
  /**
   * The issuers owning a key a `key` change names. A rotation records only the new key, yet retires the issuer's
   * others, so a key change travels as all of its issuer's keys.
   */
  keyIssuers: number[];
  /** the public keys of every IssuerKey of those issuers, stored now */
  keyPublicKeys: string[];
}

/**
 * Whether the rows after `since` can all still be there. TrustChange rows are never pruned today, but if the
 * oldest stored row is more than one past `since`, the changes in between are gone and only a full snapshot is
 * correct.
 */
export function changesStoredSince(since: number, oldest: number | undefined): boolean {
  return oldest === undefined || since >= oldest - 1;
}

/**
 * Pure: the increment from `fromVersion` to `current`, made from the TrustChange rows in between rather than from
 * the old snapshot, which is gone once the server restarts. Every record a row names travels in its current state,
 * or as removed when the current snapshot no longer holds it; records named twice travel once. Products, rules,
 * code hosts and foreign platforms change without TrustChange rows (seeding and configuration), so they travel
 * whole; products are never deleted, so none is sent as removed.
 */
export function incrementFromChanges(
  fromVersion: number,
  current: TrustSnapshot,
  stored: Pick<StoredChanges, 'changes' | 'keyIssuers' | 'keyPublicKeys'>,
): SnapshotDelta {
  const named = (kind: string) =>
    new Set(stored.changes.filter((row) => row.kind === kind).map((row) => row.ref));
  const keyIssuers = new Set(stored.keyIssuers);
  const issuerIds = named('issuer');
  const certificates = named('revocation');
  const flagged = named('unverified');

  const keys = current.keys.filter((key) => keyIssuers.has(key.issuerId));
  const currentPublicKeys = new Set(current.keys.map((key) => key.publicKey));
  const issuers = current.issuers.filter((issuer) => issuerIds.has(String(issuer.issuerId)));
  const currentIssuers = new Set(current.issuers.map((issuer) => String(issuer.issuerId)));
  const revoked = new Set(current.revoked);

  return {
    format: 1,
    fromVersion,
    toVersion: current.version,
    issuedAt: current.issuedAt,
    expiresAt: current.expiresAt,
    keys,
    removedKeys: [...new Set(stored.keyPublicKeys)].filter((publicKey) => !currentPublicKeys.has(publicKey)),
    issuers,
    removedIssuers: [...issuerIds]
      .filter((id) => !currentIssuers.has(id) && /^\d+$/.test(id))
      .map((id) => Number(id)),
    products: current.products,
    removedProducts: [],
    revoked: [...certificates].filter((id) => revoked.has(id)),
    unrevoked: [...certificates].filter((id) => !revoked.has(id) && /^[0-9a-f]{16}$/.test(id)),
    unverifiedSources: current.unverifiedSources.filter((id) => flagged.has(id)),
    codeHosts: current.codeHosts,
    foreignPlatforms: current.foreignPlatforms,
    rules: current.rules,
  };
}
