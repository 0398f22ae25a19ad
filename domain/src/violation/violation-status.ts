import { z } from 'zod';

export const violationStatuses = ['open', 'reviewing', 'confirmed', 'dismissed', 'rectified'] as const;
export const ViolationStatus = z.enum(violationStatuses);
export type ViolationStatus = z.infer<typeof ViolationStatus>;

/** The only moves a violation may make: open → reviewing → confirmed | dismissed; confirmed → rectified. */
const allowedMoves: Record<ViolationStatus, readonly ViolationStatus[]> = {
  open: ['reviewing'],
  reviewing: ['confirmed', 'dismissed'],
  confirmed: ['rectified'],
  dismissed: [],
  rectified: [],
};

export type TransitionError = {
  code: 'VIOLATION_TRANSITION_INVALID';
  from: ViolationStatus;
  to: ViolationStatus;
  allowed: readonly ViolationStatus[];
};

export function checkTransition(
  from: ViolationStatus,
  to: ViolationStatus,
): { ok: true } | { ok: false; error: TransitionError } {
  const allowed = allowedMoves[from];
  if (allowed.includes(to)) return { ok: true };
  return { ok: false, error: { code: 'VIOLATION_TRANSITION_INVALID', from, to, allowed } };
}
