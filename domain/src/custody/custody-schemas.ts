import { z } from 'zod';
import { Basis, CertificateId } from '../certificate/certificate.ts';
import { Certificate } from '../certificate/certificate-schemas.ts';
import { Quantity } from '../lot/lot.ts';
import { maxPhotoBase64Chars, PhotoBase64 } from '../lot/photo.ts';
import { EntityId } from '../lot/scan.ts';
import { ScannedText, SingleLineText } from '../text/text.ts';
import { Unit } from '../unit/unit.ts';

/** `lot:<lotId>:<certificateId>` or `out:<certificateId>` (docs/custody.md). */
export const InventoryItemId = z
  .string()
  .regex(/^(lot:[A-Za-z0-9_-]{1,64}:[0-9a-f]{16}|out:[0-9a-f]{16})$/, 'not an inventory item id');

export const InventoryState = z.enum(['available', 'used_up', 'held']);
export type InventoryState = z.infer<typeof InventoryState>;

export const InventoryItemView = z.object({
  id: z.string(),
  marketId: z.number(),
  stallId: z.number().nullable(),
  certificateId: z.string(),
  certificateKind: z.string(),
  productCode: z.number(),
  productName: z.string(),
  category: z.string(),
  issuerName: z.string(),
  originText: z.string(),
  basis: Basis,
  lotId: z.string().nullable(),
  transformationId: z.string().nullable(),
  received: z.number(),
  drawn: z.number(),
  left: z.number(),
  unit: Unit,
  held: z.boolean(),
  heldReason: z.string().nullable(),
  state: InventoryState,
  receivedAt: z.string(),
  /** its certificate was made from (or from goods made from) unverified sources: a gate sends it to review */
  unverifiedSources: z.boolean(),
});
export type InventoryItemView = z.infer<typeof InventoryItemView>;

export const InventoryQuery = z.strictObject({
  /** also list items with nothing left */
  all: z.enum(['true', 'false']).default('false'),
});

export const StallParam = z.strictObject({ stallId: z.coerce.number().int().positive() });
export const MarketParam = z.strictObject({ marketId: z.coerce.number().int().positive() });
export const InventoryItemParam = z.strictObject({ id: InventoryItemId });

export const AssignRequest = z.strictObject({ stallId: z.number().int().positive() });

export const TransformationKind = z.enum(['repack', 'resale']);
export type TransformationKind = z.infer<typeof TransformationKind>;

export const TransformationOutput = z.strictObject({
  /** defaults to the sources' product, or the category's mix product when they are several */
  productCode: z.number().int().positive().optional(),
  productName: SingleLineText.trim().min(1).max(40).optional(),
  quantity: Quantity,
  /** defaults to the first input's unit */
  unit: Unit.optional(),
  /** 联系方式 printed; defaults to the vendor's registered contact */
  contact: SingleLineText.min(3).max(40).optional(),
  /** the vendor keeps this output for sale at its own stall: it becomes an inventory item there */
  keep: z.boolean().default(false),
});

export const UnverifiedSourceKind = z.enum(['paper', 'foreign_code']);
export type UnverifiedSourceKind = z.infer<typeof UnverifiedSourceKind>;

/** What the vendor declares about goods it holds without a certificate anyone can verify. */
const declaredSource = {
  /** what it is and where it came from, in the vendor's words (e.g. 辣椒，王五的纸质合格证) */
  description: SingleLineText.trim().min(1).max(60),
  quantity: Quantity,
  unit: Unit,
  photo: PhotoBase64.optional(),
};

/**
 * A repack input that is not an inventory item: a paper certificate, or another platform's code, for goods the
 * vendor holds. Counted in conservation; every output is flagged for review at the gate (docs/custody.md).
 */
export const UnverifiedSourceInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paper'), ...declaredSource }),
  z.strictObject({
    kind: z.literal('foreign_code'),
    ...declaredSource,
    /** the other platform's code, as read */
    code: ScannedText.trim().min(1).max(500),
  }),
]);
export type UnverifiedSourceInput = z.output<typeof UnverifiedSourceInput>;

/** At most this many unverified sources in one repack, each with at most one photo. */
export const maxUnverifiedSources = 4;

/** At most this many inventory inputs and outputs in one transformation. */
export const maxTransformationInputs = 16;
export const maxTransformationOutputs = 20;

/**
 * The largest body `POST /stalls/{stallId}/transformations` takes: every unverified source with the largest photo
 * the schema allows, plus 64 KiB for the rest (16 inputs, 20 outputs and 4 declarations come to under 32 KiB of
 * JSON even with every character escaped as \uXXXX). The server's route limit; a larger body is `BODY_TOO_LARGE`.
 */
export const maxTransformationBodyBytes = maxUnverifiedSources * maxPhotoBase64Chars + 64 * 1024;

/** Body of `POST /api/v1/stalls/{stallId}/transformations`: n inventory inputs into m certificates. */
export const TransformationRequest = z.strictObject({
  kind: TransformationKind,
  inputs: z
    .array(z.strictObject({ itemId: InventoryItemId, quantity: Quantity }))
    .min(1)
    .max(maxTransformationInputs),
  /** goods held without a verifiable certificate; a repack only */
  unverifiedSources: z.array(UnverifiedSourceInput).max(maxUnverifiedSources).optional(),
  outputs: z.array(TransformationOutput).min(1).max(maxTransformationOutputs),
});
export type TransformationRequest = z.output<typeof TransformationRequest>;

/**
 * An unverified source as recorded; the photo is kept for staff, not sent back: those who may see the
 * transformation fetch it from `GET /transformations/{id}/unverified-sources/{index}/photo`.
 */
export const UnverifiedSourceView = z.object({
  kind: UnverifiedSourceKind,
  description: z.string(),
  quantity: z.number(),
  unit: Unit,
  code: z.string().nullable(),
  hasPhoto: z.boolean(),
});
export type UnverifiedSourceView = z.infer<typeof UnverifiedSourceView>;

export const TransformationView = z.object({
  id: z.string(),
  kind: TransformationKind,
  stallId: z.number(),
  issuerId: z.number(),
  unit: Unit,
  taken: z.number(),
  made: z.number(),
  loss: z.number(),
  at: z.string(),
  outputs: z.array(Certificate),
  draws: z.array(
    z.object({
      itemId: z.string(),
      sourceCertificateId: z.string(),
      outputCertificateId: z.string(),
      quantity: z.number(),
      returnedAt: z.string().nullable(),
    }),
  ),
  /** what the vendor declared about goods nobody could verify; absent when there were none */
  unverifiedSources: z.array(UnverifiedSourceView).optional(),
});
export type TransformationView = z.infer<typeof TransformationView>;

/** `GET /transformations/{id}/unverified-sources/{index}/photo`: index is the source's place in `unverifiedSources`. */
export const UnverifiedSourcePhotoParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a transformation id'),
  index: z.coerce
    .number()
    .int()
    .min(0)
    .max(maxUnverifiedSources - 1),
});

/** Body of `POST /api/v1/stalls/{stallId}/receipts`: a certificate scanned at the stall, no gate. */
export const StallReceiptRequest = z.strictObject({
  scanId: z.uuid(),
  /** the code text as read */
  rawText: ScannedText.min(1).max(2000),
  source: z.enum(['manual', 'camera']).default('manual'),
  /** what arrived, in the certificate's unit; defaults to what the certificate has not yet had admitted */
  quantity: Quantity.optional(),
  lotId: EntityId.optional(),
});
export type StallReceiptRequest = z.output<typeof StallReceiptRequest>;

export const StallReceipt = z.object({
  lotId: z.string(),
  outcome: z.string(),
  message: z.string(),
  certificateId: z.string().nullable(),
  item: InventoryItemView.nullable(),
});

/** Body of `POST /api/v1/recalls`: one certificate, or a producer's over an issue-date range. */
export const RecallRequest = z.union([
  z.strictObject({ certificateId: CertificateId, reason: SingleLineText.trim().min(2).max(200) }),
  z.strictObject({
    issuerId: z.number().int().positive(),
    issuedFrom: z.iso.datetime({ offset: true }),
    issuedTo: z.iso.datetime({ offset: true }),
    reason: SingleLineText.trim().min(2).max(200),
  }),
]);
export type RecallRequest = z.output<typeof RecallRequest>;

export const RecallView = z.object({
  id: z.string(),
  reason: z.string(),
  at: z.string(),
  revoked: z.array(z.string()),
  heldItems: z.array(z.string()),
});

export const VendorIssuerLink = z.object({
  vendorId: z.number(),
  issuerId: z.number(),
  issuerName: z.string(),
  keyId: z.string(),
  created: z.boolean(),
});

/** `recall:issued`, to the markets holding recalled goods and the regions involved (docs/api.md, Socket.io). */
export const RecallIssuedEvent = z.object({
  recallId: z.string(),
  reason: z.string(),
  /** every certificate the recall covers */
  revoked: z.array(z.string()),
  /** the inventory items now held (stop-sale) */
  heldItems: z.array(z.string()),
  at: z.string(),
});
export type RecallIssuedEvent = z.infer<typeof RecallIssuedEvent>;
