import type { TrustSnapshot } from '@liangzheng/domain';
import { Category, CreditGrade } from '@liangzheng/domain';
import { ruleSetFromStored } from '../rules/rule-set-store.ts';
import type { Db } from '../storage/db.ts';
import type { StoredChanges } from './trust-increment.ts';

/** The rows a trust snapshot is made of, as read from the database. */
export interface TrustData {
  version: number;
  keys: {
    keyId: string;
    issuerId: number;
    publicKey: string;
    validFrom: Date;
    validTo: Date | null;
    status: string;
  }[];
  issuers: { id: number; name: string; subjectId: string; contact: string; creditGrade: string }[];
  products: { code: number; name: string; category: string }[];
  revoked: string[];
  /** certificates made partly from unverified sources: a gate sends them to review */
  unverifiedSources: string[];
  ruleSetBody: string | null;
}

/**
 * URL-with-ID formats of other platforms seen in the field (docs/domain notes): recognised so they go to review
 * as UNVERIFIABLE instead of being read as garbage.
 */
export const foreignPlatforms = [
  { name: 'provincial-hgz', pattern: '^https?://[^/]+/hgz/HGZ\\d{8}-[0-9A-Z]+$' },
  { name: 'token-c', pattern: '^https?://[^/]+/c/[0-9a-f]{32}$' },
];

/**
 * Pure: rows in, snapshot out. Rows that do not fit the snapshot contract are left out rather than failing it;
 * an active rule set that does not validate fails it (STORED_RULE_SET_INVALID), never replaced by the default.
 */
export function snapshotFrom(
  data: TrustData,
  now: Date,
  validForHours: number,
  codeHosts: string[],
): TrustSnapshot {
  return {
    format: 1,
    version: data.version,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + validForHours * 3_600_000).toISOString(),
    codeHosts,
    keys: data.keys.flatMap((key) => {
      const status = key.status === 'active' || key.status === 'retired' || key.status === 'compromised';
      if (!status) return [];
      return [
        {
          keyId: key.keyId,
          issuerId: key.issuerId,
          publicKey: key.publicKey,
          validFrom: key.validFrom.toISOString(),
          validTo: key.validTo ? key.validTo.toISOString() : null,
          status: key.status as 'active' | 'retired' | 'compromised',
        },
      ];
    }),
    issuers: data.issuers.map((issuer) => ({
      issuerId: issuer.id,
      name: issuer.name,
      subjectId: issuer.subjectId,
      contact: issuer.contact,
      creditGrade: CreditGrade.safeParse(issuer.creditGrade).data ?? 'B',
    })),
    products: data.products.flatMap((product) => {
      const category = Category.safeParse(product.category);
      return category.success ? [{ code: product.code, name: product.name, category: category.data }] : [];
    }),
    revoked: [...data.revoked].sort(),
    unverifiedSources: [...data.unverifiedSources].sort(),
    foreignPlatforms,
    rules: ruleSetFromStored(data.ruleSetBody),
  };
}

export function loadTrustData(db: Db): () => Promise<TrustData> {
  return async () => {
    const [version, keys, issuers, products, revoked, flagged, rules] = await Promise.all([
      db.trustChange.aggregate({ _max: { version: true } }),
      db.issuerKey.findMany({
        select: {
          keyId: true,
          issuerId: true,
          publicKey: true,
          validFrom: true,
          validTo: true,
          status: true,
        },
        orderBy: { id: 'asc' },
      }),
      // Deactivated issuers too: deactivation stops new certificates, it does not void the ones already signed.
      db.issuer.findMany({
        select: { id: true, name: true, subjectId: true, contact: true, creditGrade: true },
        orderBy: { id: 'asc' },
      }),
      db.product.findMany({ orderBy: { code: 'asc' } }),
      db.certificate.findMany({ where: { status: 'void' }, select: { id: true } }),
      db.certificate.findMany({ where: { unverifiedSources: true }, select: { id: true } }),
      db.ruleSetVersion.findFirst({ where: { active: true }, orderBy: { createdAt: 'desc' } }),
    ]);
    return {
      version: version._max.version ?? 0,
      keys,
      issuers,
      products,
      revoked: revoked.map((row) => row.id),
      unverifiedSources: flagged.map((row) => row.id),
      ruleSetBody: rules?.body ?? null,
    };
  };
}

export function latestTrustVersion(db: Db): () => Promise<number> {
  return async () => (await db.trustChange.aggregate({ _max: { version: true } }))._max.version ?? 0;
}

/** The TrustChange rows after `since` up to `upTo`, with the issuers and public keys of the keys they name. */
export function storedTrustChanges(db: Db): (since: number, upTo: number) => Promise<StoredChanges> {
  return async (since, upTo) => {
    const [oldest, sinceRow, changes] = await Promise.all([
      db.trustChange.findFirst({ orderBy: { version: 'asc' }, select: { version: true } }),
      db.trustChange.findUnique({ where: { version: since }, select: { at: true } }),
      db.trustChange.findMany({
        where: { version: { gt: since, lte: upTo } },
        select: { kind: true, ref: true },
        orderBy: { version: 'asc' },
      }),
    ]);
    const keyIds = [...new Set(changes.filter((row) => row.kind === 'key').map((row) => row.ref))];
    const named =
      keyIds.length === 0
        ? []
        : await db.issuerKey.findMany({ where: { keyId: { in: keyIds } }, select: { issuerId: true } });
    const keyIssuers = [...new Set(named.map((key) => key.issuerId))];
    const keys =
      keyIssuers.length === 0
        ? []
        : await db.issuerKey.findMany({
            where: { issuerId: { in: keyIssuers } },
            select: { publicKey: true },
          });
    return {
      oldest: oldest?.version,
      sinceAt: sinceRow?.at,
      changes,
      keyIssuers,
      keyPublicKeys: keys.map((key) => key.publicKey),
    };
  };
}
