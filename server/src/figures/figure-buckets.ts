import type { FigurePeriod } from '@liangzheng/domain';
import { addDays } from '@liangzheng/domain/time/local-day';

/** The first day of the period `day` falls in: itself, the Monday of its ISO week, or the 1st of its month. */
export function periodStart(day: string, period: FigurePeriod): string {
  if (period === 'day') return day;
  if (period === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 is Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Every day from `from` to `to`, inclusive, in order. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A share, or null when there is nothing to divide by: a gap on a chart, not 0 %. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
