import { z } from 'zod';
import { Category } from '../category/category.ts';
import { RuleSet } from '../rules/rule-set.ts';

export const CreditGrade = z.enum(['A', 'B', 'C', 'D']);
export type CreditGrade = z.infer<typeof CreditGrade>;

/** An issuer public key. keyId = first 4 bytes of SHA-256(publicKey), hex; ids may collide, so verifiers try each. */
export const TrustKey = z.object({
  keyId: z.string().regex(/^[0-9a-f]{8}$/),
  issuerId: z.number().int().nonnegative(),
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'base64url Ed25519 public key'),
  validFrom: z.iso.datetime(),
  validTo: z.iso.datetime().nullable(),
  status: z.enum(['active', 'retired', 'compromised']),
});
export type TrustKey = z.infer<typeof TrustKey>;

export const TrustIssuer = z.object({
  issuerId: z.number().int().nonnegative(),
  name: z.string(),
  subjectId: z.string(),
  contact: z.string(),
  creditGrade: CreditGrade,
});
export type TrustIssuer = z.infer<typeof TrustIssuer>;

export const TrustProduct = z.object({
  code: z.number().int().nonnegative(),
  name: z.string(),
  category: Category,
});
export type TrustProduct = z.infer<typeof TrustProduct>;

/** A URL-with-ID format of another platform, recognised but not verifiable offline. */
export const ForeignPlatform = z.object({
  name: z.string(),
  pattern: z.string(),
});

/** Everything a gate needs to judge offline. Signed by the platform root key. */
export const TrustSnapshot = z.object({
  format: z.literal(1),
  version: z.number().int().nonnegative(),
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  codeHosts: z.array(z.string()),
  keys: z.array(TrustKey),
  issuers: z.array(TrustIssuer),
  products: z.array(TrustProduct),
  revoked: z.array(z.string().regex(/^[0-9a-f]{16}$/)),
  /**
   * Certificates made partly from goods nobody could verify (docs/custody.md, unverified sources): a gate sends
   * them to review. A flag is never lifted. Absent in snapshots signed before the flag existed.
   */
  unverifiedSources: z.array(z.string().regex(/^[0-9a-f]{16}$/)).default([]),
  foreignPlatforms: z.array(ForeignPlatform),
  rules: RuleSet,
});
export type TrustSnapshot = z.infer<typeof TrustSnapshot>;
