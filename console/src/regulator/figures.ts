import type { Figures } from '../api/api.ts';

type Period = Figures['periods'][number];

/** One period (a day, week or month) on the dashboard's chart and in its table. */
export interface ChartPeriod {
  label: string;
  lots: number;
  accept: number;
  review: number;
  reject: number;
  /** lots still being inspected: no outcome yet (the gate's blue) */
  pending: number;
  /** 查验率: the share of the period's lots inspected, 0..1; null with no lots, drawn as a gap */
  inspectionRate: number | null;
  /** 核验通过率: the share with a certificate that checked out, 0..1; null with no lots */
  verifiedRate: number | null;
  violations: number;
  rapidTests: number;
  positives: number;
}

const labelOf = (p: Period) => (p.start === p.end ? p.start : `${p.start} – ${p.end}`);

/** The server's periods, flattened for the chart and its table, oldest first. */
export function chartPeriods(figures: Figures): ChartPeriod[] {
  return figures.periods.map((p) => ({
    label: labelOf(p),
    lots: p.lots,
    ...p.outcomes,
    pending: p.lots - p.outcomes.accept - p.outcomes.review - p.outcomes.reject,
    inspectionRate: p.inspectionRate,
    verifiedRate: p.verifiedRate,
    violations: p.violations,
    rapidTests: p.rapidTests,
    positives: p.positives,
  }));
}

/** Summed over the range, for the headline above the charts; rates are null when no lot arrived. */
export function rangeTotals(figures: Figures): {
  lots: number;
  inspectedLots: number;
  verifiedLots: number;
  inspectionRate: number | null;
  verifiedRate: number | null;
} {
  const sum = (of: (d: Figures['days'][number]) => number) =>
    figures.days.reduce((total, d) => total + of(d), 0);
  const lots = sum((d) => d.lots);
  const inspectedLots = sum((d) => d.inspectedLots);
  const verifiedLots = sum((d) => d.verifiedLots);
  return {
    lots,
    inspectedLots,
    verifiedLots,
    inspectionRate: lots ? inspectedLots / lots : null,
    verifiedRate: lots ? verifiedLots / lots : null,
  };
}

/** A rate as people read it: 83%, or a dash where there was nothing to count. */
export const percentText = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
