import { z } from 'zod';

const Day = z.iso.date();

export const FigurePeriod = z.enum(['day', 'week', 'month']);
export type FigurePeriod = z.infer<typeof FigurePeriod>;
export const FigureCut = z.enum(['region', 'market', 'category', 'producer']);
export type FigureCut = z.infer<typeof FigureCut>;

export const FiguresQuery = z.strictObject({
  /** first day, inclusive (the market's time zone, Asia/Shanghai by default); default: 29 days before `to` */
  from: Day.optional(),
  /** last day, inclusive; default: today */
  to: Day.optional(),
  /** narrows a regulator's region (2, 4 or 6 digits); defaults to the caller's own */
  regionPrefix: z
    .string()
    .regex(/^\d{2}(\d{2}){0,2}$/, 'a region prefix is 2, 4 or 6 digits')
    .optional(),
  /** one market of the region */
  marketId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  /** how `periods` buckets the range: days, ISO weeks (from Monday) or calendar months; default day */
  period: FigurePeriod.optional(),
  /** a breakdown of the whole range per region (county), market, category or producer */
  groupBy: FigureCut.optional(),
});
export type FiguresQuery = z.infer<typeof FiguresQuery>;

export const Outcomes = z.object({ accept: z.number(), review: z.number(), reject: z.number() });

/**
 * A rate is null where there is nothing to divide by (a day with no lots): a chart draws a gap there, not 0 %.
 * 查验率 (docs/figures.md): lots inspected at the gate / lots that arrived, where a lot counts as inspected when a
 * code was read for it OR a paper certificate or a second document (检疫证明, 检测报告 …) was recorded for it.
 */
const Rate = z.number().min(0).max(1).nullable();

const LotCounts = {
  /** lots that arrived (were registered) */
  lots: z.number(),
  /** lots with at least one code scanned */
  scannedLots: z.number(),
  /** lots inspected: a code read, or a paper certificate or second document recorded */
  inspectedLots: z.number(),
  /** lots with a scanned certificate the server verified and accepted */
  verifiedLots: z.number(),
  /** 查验率: inspectedLots / lots; null with no lots */
  inspectionRate: Rate,
  /** 核验通过率: verifiedLots / lots; null with no lots */
  verifiedRate: Rate,
  /** lots by their current outcome; open lots have none yet */
  outcomes: Outcomes,
};

export const DayFigures = z.object({
  day: Day,
  ...LotCounts,
  /** violations opened that day, by primary reason code */
  violations: z.record(z.string(), z.number()),
});
export type DayFigures = z.infer<typeof DayFigures>;

export const PeriodFigures = z.object({
  /** the period's first day (a Monday for weeks, the 1st for months; clipped to the range) */
  start: Day,
  /** its last day, clipped to the range */
  end: Day,
  ...LotCounts,
  /** violations opened in the period */
  violations: z.number(),
  /** rapid tests (first tests, not retests) and how many were positive */
  rapidTests: z.number(),
  positives: z.number(),
});
export type PeriodFigures = z.infer<typeof PeriodFigures>;

export const BreakdownRow = z.object({
  /** region code, market id, category or issuer id; `unknown` for lots with no producer known */
  key: z.string(),
  name: z.string(),
  ...LotCounts,
  violations: z.number(),
});
export type BreakdownRow = z.infer<typeof BreakdownRow>;

export const RepeatOffender = z.object({
  /** a producer known from the certificate shown, else the supplier named at the gate */
  kind: z.enum(['producer', 'supplier']),
  key: z.string(),
  name: z.string(),
  violations: z.number(),
  reasons: z.array(z.string()),
});
export type RepeatOffender = z.infer<typeof RepeatOffender>;

export const Figures = z.object({
  from: Day,
  to: Day,
  /** null: every region (admins) */
  regionPrefix: z.string().nullable(),
  marketId: z.number().nullable(),
  /** the IANA zone days run midnight to midnight in, and its offset from UTC over the range */
  timeZone: z.string(),
  utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/),
  days: z.array(DayFigures),
  period: FigurePeriod,
  periods: z.array(PeriodFigures),
  breakdown: z.object({ groupBy: FigureCut, rows: z.array(BreakdownRow) }).nullable(),
  /** over the whole range, most frequent first */
  violationsByReason: z.array(z.object({ reason: z.string(), count: z.number() })),
  /** two or more violations in the range, most first */
  repeatOffenders: z.array(RepeatOffender),
  /** 开证率: producers registered in the region by the range's end that issued at least one certificate in it */
  issuing: z.object({ registeredProducers: z.number(), issuingProducers: z.number(), issuingRate: Rate }),
  rapidTests: z.object({ tests: z.number(), positives: z.number(), confirmedPositives: z.number() }),
});
export type Figures = z.infer<typeof Figures>;
