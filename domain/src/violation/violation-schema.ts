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
  /** who did it, as the console shows it: the user's display name */
  actorName: z.string().nullable().optional(),
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
  /** deadlines with ageing (violation-deadline.ts) */
  ageDays: z.number(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type ViolationView = z.infer<typeof ViolationView>;

/** 不合格处置 (held, returned, destroyed under supervision) and penalties decided. */
export const dispositionKinds = ['held', 'returned', 'destroyed', 'penalty'] as const;
export const ViolationDispositionBody = z
  .strictObject({
    kind: z.enum(dispositionKinds),
    note: MultiLineText.trim().min(1).max(1000),
    /** penalties: the fine decided, in yuan */
    amountYuan: z.number().positive().max(10_000_000).optional(),
    /** destruction is supervised: who supervised it */
    supervisor: MultiLineText.trim().max(100).default(''),
  })
  .refine((d) => d.kind !== 'penalty' || d.amountYuan !== undefined, {
    message: 'a penalty states the amount decided',
    path: ['amountYuan'],
  })
  .refine((d) => d.kind !== 'destroyed' || d.supervisor.length > 0, {
    message: 'destruction is under supervision: name the supervisor',
    path: ['supervisor'],
  });

export const ViolationDispositionView = z.object({
  id: z.string(),
  violationId: z.string(),
  kind: z.enum(dispositionKinds),
  note: z.string(),
  amountYuan: z.number().nullable(),
  supervisor: z.string(),
  actorId: z.number(),
  at: z.string(),
});

export const ViolationDetail = ViolationView.extend({
  events: z.array(ViolationEventView),
  dispositions: z.array(ViolationDispositionView),
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
    stallId: z.coerce.number().int().positive().optional(),
    /** the producer: violations on lots that carried one of its certificates */
    issuerId: z.coerce.number().int().positive().optional(),
    reason: z
      .string()
      .regex(/^[A-Z_]{1,40}$/)
      .optional(),
    /** opened on or after / before this instant */
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    overdue: z.enum(['true', 'false']).optional(),
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

/** Moves many violations at once; each is moved (or refused) on its own, as if sent one by one. */
export const ViolationBulk = z
  .strictObject({
    ids: z.array(EntityId).min(1).max(200),
    to: ViolationStatus.optional(),
    assigneeId: z.number().int().positive().optional(),
    note: MultiLineText.trim().max(1000).default(''),
  })
  .refine((b) => (b.to === undefined) !== (b.assigneeId === undefined), {
    message: 'a bulk move either changes the status (to) or the assignee (assigneeId)',
    path: ['to'],
  });

export const ViolationBulkResult = z.object({
  moved: z.array(z.string()),
  refused: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
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
