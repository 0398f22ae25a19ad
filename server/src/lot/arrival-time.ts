/** How far back a gate may date an arrival: longer than any offline spell the journal is meant to bridge. */
export const maxArrivalAgeMs = 30 * 86_400_000;

/**
 * When a lot opened: the gate's stated arrival time, kept within what can be true — never after the server's
 * now (a fast gate clock), never more than {@link maxArrivalAgeMs} before it (a gate clock reset to a past year).
 */
export function arrivalTime(arrivedAt: string | undefined, now: Date): Date {
  if (arrivedAt === undefined) return now;
  const stated = Date.parse(arrivedAt);
  return new Date(Math.min(now.getTime(), Math.max(stated, now.getTime() - maxArrivalAgeMs)));
}
