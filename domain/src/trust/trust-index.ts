import { keyIdOf } from '../certificate/ed25519.ts';
import { fromBase64Url } from './public-key.ts';
import type { TrustIssuer, TrustKey, TrustProduct, TrustSnapshot } from './snapshot.ts';

/** A snapshot key with its raw public key decoded and its validity window in epoch milliseconds. */
export interface IndexedKey {
  key: TrustKey;
  publicKey: Uint8Array;
  validFrom: number;
  /** Infinity when open-ended */
  validTo: number;
}

export interface CompiledPlatform {
  name: string;
  pattern: RegExp;
}

/**
 * Lookup structures built once per snapshot, so judging a code costs map and set lookups only.
 * `rejectedKeys` lists snapshot keys left out because their keyId or public key does not check out.
 */
export interface TrustIndex {
  snapshot: TrustSnapshot;
  keysById: ReadonlyMap<string, readonly IndexedKey[]>;
  issuers: ReadonlyMap<number, TrustIssuer>;
  products: ReadonlyMap<number, TrustProduct>;
  revoked: ReadonlySet<string>;
  /** certificates a gate sends to review: made partly from goods nobody could verify */
  unverifiedSources: ReadonlySet<string>;
  /** upper-cased, as codes are compared after normalisation */
  codeHosts: ReadonlySet<string>;
  foreignPlatforms: readonly CompiledPlatform[];
  rejectedKeys: readonly { key: TrustKey; detail: 'bad_public_key' | 'key_id_mismatch' }[];
  invalidPlatforms: readonly string[];
}

// Patterns come from the snapshot, so the same source strings recur across refreshes: compile each once.
const compiledPatterns = new Map<string, RegExp | null>();

/** Compiles a platform pattern case-insensitively (scanners upper-case URLs); null when it is not a valid regex. */
export function compilePlatformPattern(source: string): RegExp | null {
  let compiled = compiledPatterns.get(source);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(source, 'i');
    } catch {
      compiled = null;
    }
    compiledPatterns.set(source, compiled);
  }
  return compiled;
}

export function buildTrustIndex(snapshot: TrustSnapshot): TrustIndex {
  const keysById = new Map<string, IndexedKey[]>();
  const rejectedKeys: TrustIndex['rejectedKeys'][number][] = [];
  for (const key of snapshot.keys) {
    const publicKey = fromBase64Url(key.publicKey);
    if (publicKey?.length !== 32) {
      rejectedKeys.push({ key, detail: 'bad_public_key' });
      continue;
    }
    if (keyIdOf(publicKey) !== key.keyId) {
      rejectedKeys.push({ key, detail: 'key_id_mismatch' });
      continue;
    }
    const indexed: IndexedKey = {
      key,
      publicKey,
      validFrom: Date.parse(key.validFrom),
      validTo: key.validTo === null ? Number.POSITIVE_INFINITY : Date.parse(key.validTo),
    };
    const sameId = keysById.get(key.keyId);
    if (sameId) sameId.push(indexed);
    else keysById.set(key.keyId, [indexed]);
  }

  const foreignPlatforms: CompiledPlatform[] = [];
  const invalidPlatforms: string[] = [];
  for (const platform of snapshot.foreignPlatforms) {
    const pattern = compilePlatformPattern(platform.pattern);
    if (pattern) foreignPlatforms.push({ name: platform.name, pattern });
    else invalidPlatforms.push(platform.name);
  }

  return {
    snapshot,
    keysById,
    issuers: new Map(snapshot.issuers.map((issuer) => [issuer.issuerId, issuer])),
    products: new Map(snapshot.products.map((product) => [product.code, product])),
    revoked: new Set(snapshot.revoked),
    unverifiedSources: new Set(snapshot.unverifiedSources),
    codeHosts: new Set(snapshot.codeHosts.map((host) => host.toUpperCase())),
    foreignPlatforms,
    rejectedKeys,
    invalidPlatforms,
  };
}
