import type { Figures } from '../api/api.ts';

/** One day on the dashboard's chart. */
export interface DayFigures {
  day: string;
  lots: number;
  accept: number;
  review: number;
  reject: number;
  /** 查验率: the share of the day's lots with a verified certificate, 0..1 */
  inspectionRate: number;
}

/** The server's per-day figures, flattened for the chart, oldest first. */
export function chartDays(figures: Figures): DayFigures[] {
  return figures.days.map((d) => ({
    day: d.day,
    lots: d.lots,
    ...d.outcomes,
    inspectionRate: d.inspectionRate,
  }));
}

/** Summed over the range: lots, verified lots and their share, for the headline above the charts. */
export function rangeTotals(figures: Figures): {
  lots: number;
  verifiedLots: number;
  inspectionRate: number;
} {
  const lots = figures.days.reduce((sum, d) => sum + d.lots, 0);
  const verifiedLots = figures.days.reduce((sum, d) => sum + d.verifiedLots, 0);
  return { lots, verifiedLots, inspectionRate: lots ? verifiedLots / lots : 0 };
}
