import { z } from 'zod';
import { Category } from '../category/category.ts';
import { Unit } from '../unit/unit.ts';

export const CertificateKind = z.enum(['producer', 'repack']);
export type CertificateKind = z.infer<typeof CertificateKind>;

/**
 * 承诺依据 in the 2026 template. Legacy wording maps onto these:
 * 自我承诺 and 内部质量控制 → quality_control; 自我检测 → self_tested; 委托检测 → commissioned_test.
 */
export const Basis = z.enum(['quality_control', 'self_tested', 'commissioned_test']);
export type Basis = z.infer<typeof Basis>;

/** GB/T 2260 six-digit administrative division code. */
export const RegionCode = z.string().regex(/^\d{6}$/, 'region code must be six digits (GB/T 2260)');

/** Certificate ids are 16 lower-case hex digits (64 random bits). */
export const CertificateId = z.string().regex(/^[0-9a-f]{16}$/, 'certificate id must be 16 hex digits');

export const ParentUse = z.object({
  certificateId: CertificateId,
  quantity: z.number().positive(),
});
export type ParentUse = z.infer<typeof ParentUse>;

/** What the signed code carries. Names (issuer, contact) resolve through the trust snapshot by issuerId. */
export const CertificatePayload = z.object({
  id: CertificateId,
  kind: CertificateKind,
  keyId: z.string().regex(/^[0-9a-f]{8}$/),
  issuerId: z.number().int().nonnegative(),
  productCode: z.number().int().nonnegative(),
  productName: z.string().max(40),
  category: Category,
  quantity: z.number().positive(),
  unit: Unit,
  originRegion: RegionCode,
  basis: Basis,
  issuedAt: z.date(),
  parents: z.array(ParentUse).max(8),
});
export type CertificatePayload = z.infer<typeof CertificatePayload>;
