import { z } from 'zod';
import { CertificateId } from '../certificate/certificate.ts';
import { ReasonCode } from '../reason/reason-code.ts';
import { Unit } from '../unit/unit.ts';

export const VerdictOutcome = z.enum(['accept', 'review', 'reject']);
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

export const VerdictResult = z.strictObject({
  outcome: VerdictOutcome,
  /** every reason, most important first */
  reasons: z.array(Reason).max(256),
  /** the one reason to tell a person; null on a clean accept */
  primary: Reason.nullable(),
  documents: z.array(DocumentResult).max(32),
  claims: z.array(Claim).max(32),
  rulesVersion: z.string().max(32),
});
export type VerdictResult = z.infer<typeof VerdictResult>;
