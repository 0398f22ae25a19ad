import { z } from 'zod';
import { PhotoBase64 } from '../lot/photo.ts';
import { EntityId } from '../lot/scan.ts';
import { MultiLineText } from '../text/text.ts';
import { ViolationStatus } from './violation-status.ts';

export const ViolationEventView = z.object({
  id: z.number(),
  type: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string(),
  evidence: z.unknown(),
  actorId: z.number().nullable(),
  at: z.string(),
});

export const ViolationView = z.object({
  id: z.string(),
  lotId: z.string(),
  scanId: z.string().nullable(),
  marketId: z.number(),
  /** where and what: a queue a regulator can read without opening each entry */
  marketName: z.string(),
  plate: z.string(),
  productName: z.string(),
  regionCode: z.string(),
  reason: z.string(),
  status: z.string(),
  assigneeId: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ViolationView = z.infer<typeof ViolationView>;

export const ViolationDetail = ViolationView.extend({
  events: z.array(ViolationEventView),
  /** how the code was read, for telling a misread from a forgery */
  scan: z
    .object({
      source: z.string(),
      rawText: z.string(),
      symbology: z.string(),
      keystrokeTimings: z.array(z.number()).nullable(),
      deviceTime: z.string().nullable(),
      receivedAt: z.string(),
      codeKind: z.string(),
      certificateId: z.string().nullable(),
      provisionalOutcome: z.string().nullable(),
      conflict: z.boolean(),
    })
    .nullable(),
});

export const ViolationQuery = z
  .strictObject({
    status: ViolationStatus.optional(),
    marketId: z.coerce.number().int().positive().optional(),
    /** narrows a regulator's queue further inside their own region */
    regionPrefix: z
      .string()
      .regex(/^\d{2}(\d{2}){0,2}$/)
      .optional(),
    assignedToMe: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /**
     * The cursor, as lots have it: the `createdAt` of the last violation of the page before. With `beforeId`, that
     * violation's id, the next page starts right after it even when several were created in the same millisecond.
     */
    before: z.iso.datetime().optional(),
    beforeId: EntityId.optional(),
  })
  .refine((query) => query.beforeId === undefined || query.before !== undefined, {
    message: 'beforeId goes with before',
    path: ['beforeId'],
  });

export const ViolationTransition = z.strictObject({
  to: ViolationStatus,
  note: MultiLineText.trim().max(1000).default(''),
});

export const ViolationAssign = z.strictObject({ assigneeId: z.number().int().positive() });

export const ViolationNote = z.strictObject({ note: MultiLineText.trim().min(1).max(1000) });

/** A photo (JPEG, PNG or WebP, base64, bounded) and/or a description; the scan provenance is attached automatically on creation. */
export const ViolationEvidence = z.strictObject({
  description: MultiLineText.trim().max(1000).default(''),
  photo: PhotoBase64.optional(),
});

/** Errors this area answers with beyond the shared codes. */
export const ViolationErrorBody = z.object({
  error: z.object({
    code: z.literal('VIOLATION_TRANSITION_INVALID'),
    message: z.string(),
    from: ViolationStatus,
    to: ViolationStatus,
    allowed: z.array(ViolationStatus),
  }),
});
