import type { Lot, Violation } from '../api/api.ts';

export interface DayFigures {
  day: string;
  arrived: number;
  accept: number;
  review: number;
  reject: number;
  /** 查验率: the share of arrived lots that received a verdict, 0..1 */
  inspectionRate: number;
}

const dayOf = (iso: string) => iso.slice(0, 10);

/** Per day of arrival, oldest first. */
export function figuresPerDay(lots: Lot[]): DayFigures[] {
  const days = new Map<string, DayFigures>();
  for (const lot of lots) {
    const day = dayOf(lot.openedAt);
    const figures = days.get(day) ?? { day, arrived: 0, accept: 0, review: 0, reject: 0, inspectionRate: 0 };
    figures.arrived++;
    if (lot.outcome === 'accept' || lot.outcome === 'review' || lot.outcome === 'reject')
      figures[lot.outcome]++;
    days.set(day, figures);
  }
  return [...days.values()]
    .map((f) => ({ ...f, inspectionRate: f.arrived ? (f.accept + f.review + f.reject) / f.arrived : 0 }))
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** Violations per reason code, most frequent first. */
export function violationsByReason(violations: Violation[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of violations) counts.set(v.reason, (counts.get(v.reason) ?? 0) + 1);
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count);
}
