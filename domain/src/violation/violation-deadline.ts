import type { ViolationStatus } from './violation-status.ts';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * How long a violation may stay unfinished, counted from when it was opened: reviewed within 3 days, decided
 * within 15, a confirmed one rectified within 60. Dismissed and rectified violations have no deadline.
 */
export const deadlineDays: Record<ViolationStatus, number | null> = {
  open: 3,
  reviewing: 15,
  confirmed: 60,
  dismissed: null,
  rectified: null,
};

export interface ViolationAgeing {
  /** whole days since it was opened */
  ageDays: number;
  dueAt: Date | null;
  overdue: boolean;
}

export function violationAgeing(status: ViolationStatus, createdAt: Date, now: Date): ViolationAgeing {
  const ageDays = Math.floor((now.getTime() - createdAt.getTime()) / dayMs);
  const days = deadlineDays[status];
  if (days === null) return { ageDays, dueAt: null, overdue: false };
  const dueAt = new Date(createdAt.getTime() + days * dayMs);
  return { ageDays, dueAt, overdue: now.getTime() > dueAt.getTime() };
}
