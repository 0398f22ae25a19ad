import { z } from 'zod';
import { EntityId } from '../lot/scan.ts';
import { MultiLineText, SingleLineText } from '../text/text.ts';
import { CreditGrade } from '../trust/snapshot.ts';

const RegionPrefix = z.string().regex(/^\d{2}(\d{2}){0,2}$/);

export const DrawRequestBody = z.strictObject({
  /** leave out for a fresh random seed; give one to draw again exactly as before */
  seed: SingleLineText.trim().min(1).max(100).optional(),
  count: z.number().int().min(1).max(500),
  /** which kind of target the pool holds */
  kind: z.enum(['market', 'stall']).default('market'),
  /** narrows the target pool inside the drawer's own scope */
  regionPrefix: RegionPrefix.optional(),
  weightByCredit: z.boolean().default(false),
});
export type DrawRequestBody = z.infer<typeof DrawRequestBody>;

export const PoolInspectorView = z.object({ userId: z.number(), regionPrefix: z.string() });
export const PoolTargetView = z.object({
  kind: z.enum(['market', 'stall']),
  marketId: z.number(),
  stallId: z.number().nullable(),
  regionCode: z.string(),
  creditGrade: CreditGrade.nullable(),
});

export const InspectionFindingView = z.object({
  id: z.string(),
  compliant: z.boolean(),
  note: z.string(),
  lotId: z.string().nullable(),
  violationId: z.string().nullable(),
  actorId: z.number(),
  at: z.string(),
});

export const InspectionTaskView = z.object({
  id: z.string(),
  drawId: z.string(),
  inspectorId: z.number(),
  inspectorName: z.string(),
  targetKind: z.enum(['market', 'stall']),
  marketId: z.number(),
  marketName: z.string(),
  stallId: z.number().nullable(),
  stallNumber: z.string().nullable(),
  regionCode: z.string(),
  status: z.enum(['assigned', 'done']),
  doneAt: z.string().nullable(),
  findings: z.array(InspectionFindingView),
});
export type InspectionTaskView = z.infer<typeof InspectionTaskView>;

export const InspectionDrawView = z.object({
  id: z.string(),
  seed: z.string(),
  params: DrawRequestBody.omit({ seed: true }),
  inspectorPool: z.array(PoolInspectorView),
  targetPool: z.array(PoolTargetView),
  actor: z.string(),
  at: z.string(),
  tasks: z.array(InspectionTaskView),
});
export type InspectionDrawView = z.infer<typeof InspectionDrawView>;

export const DrawnPair = z.object({ inspectorId: z.number(), target: PoolTargetView });

/** Re-running a logged draw from its seed and pools: `same` when it gives the tasks it gave then. */
export const DrawReplayView = z.object({
  drawId: z.string(),
  same: z.boolean(),
  logged: z.array(DrawnPair),
  replayed: z.array(DrawnPair),
});

export const InspectionTaskQuery = z.strictObject({
  mine: z.enum(['true', 'false']).optional(),
  status: z.enum(['assigned', 'done']).optional(),
  drawId: EntityId.optional(),
});

/** A finding; `openViolation` opens a violation on the named lot of the inspected market. */
export const InspectionFindingBody = z
  .strictObject({
    compliant: z.boolean(),
    note: MultiLineText.trim().min(1).max(1000),
    lotId: EntityId.optional(),
    openViolation: z.boolean().default(false),
    /** closes the task with this finding */
    done: z.boolean().default(false),
  })
  .refine((f) => !f.openViolation || (f.lotId !== undefined && !f.compliant), {
    message: 'a violation is opened from a non-compliant finding on a named lot',
    path: ['openViolation'],
  });
