import { formatLocalIsoDate, wallClockDate } from './local-date.ts';

const dayMs = 86_400_000;

/** How far `timeZone`'s wall clock runs ahead of UTC at `instant`, in milliseconds (+8 h for Asia/Shanghai). */
export function utcOffsetMs(instant: Date, timeZone: string): number {
  const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return wallClockDate(whole, timeZone).getTime() - whole.getTime();
}

/** The instant a local calendar day (2026-03-15) begins in `timeZone`: 2026-03-14T16:00Z in Asia/Shanghai. */
export function localDayStart(day: string, timeZone: string): Date {
  const wallMidnight = Date.parse(`${day}T00:00:00Z`);
  return new Date(wallMidnight - utcOffsetMs(new Date(wallMidnight), timeZone));
}

/** The local calendar day `instant` falls on, as 2026-03-15. */
export const localDay = (instant: Date, timeZone: string): string => formatLocalIsoDate(instant, timeZone);

/** The local day `days` after `day` (negative: before), by the calendar. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}
