import {
  checkTransition,
  type ViolationStatus,
  violationStatuses,
} from '@liangzheng/domain/violation/violation-status';

/** The moves the server will accept from a status, read from the server's own transition table. */
export function movesFrom(status: string): ViolationStatus[] {
  const from = violationStatuses.find((s) => s === status);
  if (!from) return [];
  return violationStatuses.filter((to) => checkTransition(from, to).ok);
}
