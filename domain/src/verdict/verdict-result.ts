import { z } from 'zod';
import { CertificateId } from '../certificate/certificate.ts';
import { ReasonCode } from '../reason/reason-code.ts';
import { Unit } from '../unit/unit.ts';

/**
 * accept, review and reject are final for the documents shown. `pending` is not: the certificates read so far are
 * in order but cover only part of the declared quantity, so the gate keeps scanning (已核 200/300 千克，继续扫码).
 * A pending lot opens no violation; it is judged when it is covered, closed by staff, or swept.
 */
export const VerdictOutcome = z.enum(['accept', 'review', 'reject', 'pending']);
export type VerdictOutcome = z.infer<typeof VerdictOutcome>;

/** One reason, optionally tied to the document it is about; `detail` is a short stable diagnostic. */
export const Reason = z.strictObject({
  code: ReasonCode,
  documentIndex: z.number().int().nonnegative().max(63).optional(),
  detail: z.string().max(200).optional(),
});
export type Reason = z.infer<typeof Reason>;

/** What reading one presented document yielded. */
export const DocumentReadingKind = z.enum([
  'liangzheng',
  'foreign_url',
  'national_trace',
  'serial',
  'unknown',
  'paper',
  'second_document',
]);
export type DocumentReadingKind = z.infer<typeof DocumentReadingKind>;

export const DocumentResult = z.strictObject({
  index: z.number().int().nonnegative(),
  reading: DocumentReadingKind,
  certificateId: CertificateId.optional(),
  /** `ignored`: a repeated read that takes no part in the verdict */
  outcome: z.enum(['accept', 'review', 'reject', 'ignored']),
});
export type DocumentResult = z.infer<typeof DocumentResult>;

/** What the ledger should charge to a certificate if the lot is accepted, in the certificate's own unit. */
export const Claim = z.strictObject({
  certificateId: CertificateId,
  quantity: z.number().nonnegative(),
  unit: Unit,
});
export type Claim = z.infer<typeof Claim>;

/** How much of a lot's declared quantity its certificates cover, in the lot's unit. */
export const LotCoverage = z.strictObject({
  covered: z.number().nonnegative(),
  declared: z.number().positive(),
  unit: Unit,
});
export type LotCoverage = z.infer<typeof LotCoverage>;

export const VerdictResult = z.strictObject({
  outcome: VerdictOutcome,
  /** every reason, most important first */
  reasons: z.array(Reason).max(256),
  /** the one reason to tell a person; null on a clean accept */
  primary: Reason.nullable(),
  documents: z.array(DocumentResult).max(32),
  claims: z.array(Claim).max(32),
  /** absent in answers stored before lots were judged on coverage, and when nothing could be counted */
  coverage: LotCoverage.nullable().optional(),
  rulesVersion: z.string().max(32),
});
export type VerdictResult = z.infer<typeof VerdictResult>;
