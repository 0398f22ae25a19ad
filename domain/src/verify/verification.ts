import { z } from 'zod';
import { ReasonCode } from '../reason/reason-code.ts';
import { CreditGrade } from '../trust/snapshot.ts';

/**
 * Where a certificate stands, as the public may know it: 有效 (valid), 已用完 (its whole quantity has gone into
 * lots and repacks: genuine, but nothing more may be drawn on it) or 已作废 (voided). Ledger figures and the
 * issuer's free-text void reason stay behind the login; the public gets this state and a reason code.
 */
export const CertificateState = z.enum(['valid', 'used_up', 'void']);
export type CertificateState = z.infer<typeof CertificateState>;

/** The certificate as the public sees it: what the code says, what was printed with it, and its state. */
export const VerifiedCertificate = z.object({
  id: z.string(),
  kind: z.string(),
  /** the product catalogue code, so a vendor's repack form can fill it from a scanned parent */
  productCode: z.number().int(),
  productName: z.string(),
  category: z.string(),
  quantity: z.number(),
  unit: z.string(),
  originRegion: z.string(),
  originText: z.string(),
  /** 联系方式 as printed on the certificate and its label (not the issuer's registered contact) */
  contact: z.string(),
  basis: z.string(),
  issuedAt: z.string(),
  state: CertificateState,
  voidedAt: z.string().nullable(),
  /**
   * Present when the certificate was recalled (docs/custody.md): a recall is a public safety notice, so its reason
   * is shown, unlike an issuer's own void reason.
   */
  recall: z.object({ reason: z.string(), at: z.string() }).optional(),
  /**
   * Present when the goods came partly from sources nobody could verify (docs/custody.md): what the vendor
   * declared when it made this certificate, or nothing when the flag came down from a source certificate.
   */
  unverifiedSources: z
    .object({
      declared: z.array(
        z.object({
          kind: z.enum(['paper', 'foreign_code']),
          description: z.string(),
          quantity: z.number(),
          unit: z.string(),
          code: z.string().nullable(),
        }),
      ),
    })
    .optional(),
});
export type VerifiedCertificate = z.infer<typeof VerifiedCertificate>;

/** The issuer as registered now: a deactivated issuer's past certificates still stand, and the page says so. */
export const VerifiedIssuer = z.object({
  name: z.string(),
  creditGrade: CreditGrade.nullable(),
  /** when the grade was last computed or set (docs/credit.md); absent while it is still the registration default */
  creditGradedAt: z.string().nullable().optional(),
  active: z.boolean(),
});

/**
 * What the public learns about one code: the certificate, whether it stands, who issued it, what it came from.
 * `valid` is about the code (genuine, not voided); a used-up certificate is still genuine (`valid`, state
 * `used_up`). `reason` is the category of why not, as a reason code, never the issuer's own words.
 */
export const Verification = z.object({
  valid: z.boolean(),
  /** why it is not valid; null when valid */
  reason: ReasonCode.nullable(),
  certificate: VerifiedCertificate,
  issuer: VerifiedIssuer.nullable(),
  /** for repack certificates: the certificates it was made from, one level up */
  chain: z.array(
    z.object({
      id: z.string(),
      productName: z.string(),
      issuerName: z.string(),
      quantity: z.number(),
      unit: z.string(),
      state: CertificateState,
    }),
  ),
});
export type Verification = z.infer<typeof Verification>;

/** `GET /api/v1/verify` 200: the verification with its outcome in plain words. */
export const VerificationBody = Verification.extend({ message: z.string() });
export type VerificationBody = z.infer<typeof VerificationBody>;

/**
 * A code that names no certificate this server can vouch for (unreadable, forged, another platform's): the
 * reason it could not be verified. `GET /api/v1/verify` answers it as 422 `ErrorBody`
 * `{ error: { code: 'CODE_NOT_VERIFIABLE', message, reason } }`; the page says it in words.
 */
export type Unverifiable = { valid: false; reason: ReasonCode; certificate: null; issuer: null; chain: [] };

/** What verifying a code gives: a certificate with its standing, or the reason there is none. */
export type VerificationResult = Verification | Unverifiable;

/**
 * `GET /api/v1/certificates/source?code=`: a certificate a producer or vendor holds the code of, as a repack source:
 * what the public sees plus how much is left to draw. Behind the login, so the ledger is not public.
 */
export const RepackSource = z.object({
  certificate: VerifiedCertificate,
  /** why it may not be drawn on (voided, key no longer valid …); null when it may */
  reason: ReasonCode.nullable(),
  issuerName: z.string(),
  /** quantity not yet charged to lots and repacks, in the certificate's unit */
  remaining: z.number(),
});
export type RepackSource = z.infer<typeof RepackSource>;
