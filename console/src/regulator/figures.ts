import type { Figures } from '../api/api.ts';

/** One day on the dashboard's chart. */
export interface DayFigures {
  day: string;
  lots: number;
  accept: number;
  review: number;
  reject: number;
  /** 查验率: the share of the day's lots whose certificate was checked, 0..1 */
  inspectionRate: number;
  /** 核验通过率: the share of the day's lots with a certificate that checked out, 0..1 */
  verifiedRate: number;
}

/** The server's per-day figures, flattened for the chart, oldest first. */
export function chartDays(figures: Figures): DayFigures[] {
  return figures.days.map((d) => ({
    day: d.day,
    lots: d.lots,
    ...d.outcomes,
    inspectionRate: d.inspectionRate,
    verifiedRate: d.verifiedRate,
  }));
}

/** Summed over the range: lots, checked and verified lots and their shares, for the headline above the charts. */
export function rangeTotals(figures: Figures): {
  lots: number;
  scannedLots: number;
  verifiedLots: number;
  inspectionRate: number;
  verifiedRate: number;
} {
  const sum = (of: (d: Figures['days'][number]) => number) =>
    figures.days.reduce((total, d) => total + of(d), 0);
  const lots = sum((d) => d.lots);
  const scannedLots = sum((d) => d.scannedLots);
  const verifiedLots = sum((d) => d.verifiedLots);
  return {
    lots,
    scannedLots,
    verifiedLots,
    inspectionRate: lots ? scannedLots / lots : 0,
    verifiedRate: lots ? verifiedLots / lots : 0,
  };
}
