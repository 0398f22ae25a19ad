import { z } from 'zod';
import { CertificateId } from '../certificate/certificate.ts';
import { MultiLineText, SingleLineText } from '../text/text.ts';
import { VerdictResult } from '../verdict/verdict-result.ts';
import { LotDeclaration, PaperFields, Quantity, SecondDocumentKind } from './lot.ts';
import { PhotoBase64 } from './photo.ts';
import { EntityId } from './scan.ts';

export const LotDocumentInput = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('paper'),
    fields: PaperFields,
    photo: PhotoBase64.optional(),
  }),
  z.strictObject({
    type: z.literal('second_document'),
    kind: SecondDocumentKind,
    number: SingleLineText.trim().min(1).max(64),
  }),
]);
export type LotDocumentInput = z.output<typeof LotDocumentInput>;

/** Body of `POST /api/v1/lots`. A device registers lots at its own gate; console users name the market. */
export const LotCreate = z.strictObject({
  id: EntityId.optional(),
  marketId: z.number().int().positive().optional(),
  gateId: z.number().int().positive().optional(),
  stallId: z.number().int().positive().optional(),
  plate: SingleLineText.trim().max(16).default(''),
  supplier: SingleLineText.trim().max(80).default(''),
  /** the supplier's address and contact for the 台账 (docs/purchase-ledger.md): optional, completable later */
  supplierAddress: SingleLineText.trim().max(120).default(''),
  supplierContact: SingleLineText.trim().max(40).default(''),
  declaration: LotDeclaration,
  /** the vendor says there is no certificate at all: judged MISSING at once */
  noCertificate: z.boolean().default(false),
  documents: z.array(LotDocumentInput).max(8).default([]),
  /**
   * When the truck reached the gate, by the gate's server-corrected clock. A gate that journaled the lot offline
   * sends it so the open-lot limit runs from the arrival, not from the upload; absent means now.
   */
  arrivedAt: z.iso.datetime({ offset: true }).optional(),
});
export type LotCreate = z.output<typeof LotCreate>;

export const LotStatus = z.enum(['open', 'judged', 'closed']);

export const LotDocumentView = z.object({
  id: z.string(),
  type: z.string(),
  scanId: z.string().nullable(),
  certificateId: z.string().nullable(),
  secondKind: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  hasPhoto: z.boolean(),
  quantityClaim: z.number().nullable(),
});

export const LotView = z.object({
  id: z.string(),
  marketId: z.number(),
  gateId: z.number().nullable(),
  stallId: z.number().nullable(),
  plate: z.string(),
  supplier: z.string(),
  supplierAddress: z.string(),
  supplierContact: z.string(),
  productName: z.string(),
  productCode: z.number().nullable(),
  category: z.string(),
  quantity: z.number(),
  unit: z.string(),
  noCertificate: z.boolean(),
  status: z.string(),
  outcome: z.string().nullable(),
  openedAt: z.string(),
  judgedAt: z.string().nullable(),
  /** a positive rapid test holds the lot's goods: 快检阳性·暂停销售 until it is released (docs/rapid-test.md) */
  rapidTestHold: z.boolean(),
  documents: z.array(LotDocumentView),
});
export type LotView = z.infer<typeof LotView>;

export const LotCreated = z.object({
  lot: LotView,
  verdict: VerdictResult.nullable(),
  violationId: z.string().nullable(),
});

export const LotQuery = z.strictObject({
  marketId: z.coerce.number().int().positive().optional(),
  status: LotStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime().optional(),
});

/** What a reviewer confirms one certificate covers, in that certificate's own unit. */
export const ReviewCharge = z.strictObject({ certificateId: CertificateId, quantity: Quantity });

export const LotReview = z.strictObject({
  decision: z.enum(['confirm_violation', 'clear']),
  note: MultiLineText.trim().max(500).default(''),
  /**
   * Clearing admits the goods, so it charges the ledger as an accept does: the quantity each certificate read for
   * the lot covers, as the reviewer confirms it (a review is often about units: 100 箱 against a 100 kg certificate).
   * Required when the lot was shown certificates; ignored when confirming a violation.
   */
  charges: z.array(ReviewCharge).max(32).default([]),
});

/** Body of `POST /lots/:id/close`: gate staff say the truck has shown everything it will show. */
export const LotClose = z.strictObject({
  note: MultiLineText.trim().max(500).default(''),
});

export const LotClosed = z.object({
  lotId: z.string(),
  /** `closed`, or `judged` when the lot ends in review and awaits a person's decision */
  status: z.enum(['closed', 'judged']),
  verdict: VerdictResult,
  violationId: z.string().nullable(),
});
export type LotClosed = z.infer<typeof LotClosed>;

/**
 * Body of `POST /lots/:id/documents`: second documents (动物检疫合格证明, 肉品品质检验合格证 …) a truck shows after its
 * lot was registered. Only while the lot is open: its next scan is judged with them.
 */
export const LotDocumentsAdd = z.strictObject({
  documents: z
    .array(
      z.strictObject({
        type: z.literal('second_document'),
        kind: SecondDocumentKind,
        number: SingleLineText.trim().min(1).max(64),
      }),
    )
    .min(1)
    .max(8),
});
export type LotDocumentsAdd = z.output<typeof LotDocumentsAdd>;
