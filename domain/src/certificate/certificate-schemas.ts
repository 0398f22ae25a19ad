import { z } from 'zod';
import { Category } from '../category/category.ts';
import { SingleLineText } from '../text/text.ts';
import { Unit } from '../unit/unit.ts';
import { Basis, CertificateId, CertificateKind, RegionCode } from './certificate.ts';

/** The 2026 template (MOA Order 2025 No. 4, Art. 14) as the issuing form fills it in. */
export const CertificateFields = z.strictObject({
  /** 产品名称: defaults to the catalogue name of productCode */
  productCode: z.number().int().positive(),
  productName: SingleLineText.min(1).max(40).optional(),
  /** 数量或重量 */
  quantity: z.number().positive().max(1_000_000),
  unit: Unit,
  /** 产地: the division code signed into the code, and the wording printed */
  originRegion: RegionCode,
  originText: SingleLineText.max(60).default(''),
  /** 联系方式: defaults to the issuer's registered contact */
  contact: SingleLineText.min(3).max(40).optional(),
  /** 承诺依据 */
  basis: Basis,
  commitmentVersion: z.literal('2026').default('2026'),
});
export type CertificateFields = z.infer<typeof CertificateFields>;

export const IssueRequest = CertificateFields.extend({ issuerId: z.number().int().positive() });
export type IssueRequest = z.infer<typeof IssueRequest>;

export const BatchIssueRequest = z.strictObject({
  issuerId: z.number().int().positive(),
  items: z.array(CertificateFields).min(1).max(200),
});

export const VoidRequest = z.strictObject({ reason: SingleLineText.min(2).max(200) });

export const Certificate = z.object({
  id: CertificateId,
  kind: CertificateKind,
  issuerId: z.number(),
  keyId: z.string(),
  code: z.string(),
  productCode: z.number(),
  productName: z.string(),
  category: Category,
  quantity: z.number(),
  unit: Unit,
  usedQuantity: z.number(),
  originRegion: RegionCode,
  originText: z.string(),
  issuerName: z.string(),
  contact: z.string(),
  basis: Basis,
  commitmentVersion: z.string(),
  issuedAt: z.string(),
  status: z.enum(['valid', 'void']),
  voidReason: z.string().nullable(),
  voidedAt: z.string().nullable(),
  parents: z.array(z.object({ certificateId: z.string(), quantity: z.number() })),
  /** made partly from goods nobody could verify (docs/custody.md): a gate sends it to review; absent: false */
  unverifiedSources: z.boolean().optional(),
});
export type Certificate = z.infer<typeof Certificate>;

export const IssuedCertificate = z.object({
  certificate: Certificate,
  qr: z.object({ svg: z.string(), pngDataUrl: z.string() }),
});
