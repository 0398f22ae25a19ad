import { z } from 'zod';
import { ReasonCode } from '../reason/reason-code.ts';
import { CreditGrade } from '../trust/snapshot.ts';

/** The certificate as the public sees it: what the code says, with the ledger's and registry's news. */
export const VerifiedCertificate = z.object({
  id: z.string(),
  kind: z.string(),
  /** the product catalogue code, so a vendor's repack form can fill it from a scanned parent */
  productCode: z.number().int(),
  productName: z.string(),
  category: z.string(),
  quantity: z.number(),
  unit: z.string(),
  usedQuantity: z.number().nullable(),
  originRegion: z.string(),
  originText: z.string(),
  basis: z.string(),
  issuedAt: z.string(),
  status: z.enum(['valid', 'void']),
  voidReason: z.string().nullable(),
  voidedAt: z.string().nullable(),
});

/**
 * What the public learns about one code: the certificate, whether it stands, who issued it, what it came from.
 * An unreadable code has no certificate, issuer or chain, and a reason.
 */
export const Verification = z.object({
  valid: z.boolean(),
  /** why it is not valid; null when valid */
  reason: ReasonCode.nullable(),
  certificate: VerifiedCertificate.nullable(),
  issuer: z.object({ name: z.string(), contact: z.string(), creditGrade: CreditGrade.nullable() }).nullable(),
  /** for repack certificates: the certificates it was made from, one level up */
  chain: z.array(
    z.object({
      id: z.string(),
      productName: z.string(),
      issuerName: z.string(),
      quantity: z.number(),
      unit: z.string(),
      status: z.string(),
    }),
  ),
});
export type Verification = z.infer<typeof Verification>;

/** `GET /api/v1/verify`: the verification with its outcome in plain words. */
export const VerificationBody = Verification.extend({ message: z.string() });
export type VerificationBody = z.infer<typeof VerificationBody>;
