import { z } from 'zod';

const Day = z.iso.date();

export const FiguresQuery = z.strictObject({
  /** first day, inclusive (China Standard Time); default: 29 days before `to` */
  from: Day.optional(),
  /** last day, inclusive; default: today */
  to: Day.optional(),
  /** narrows a regulator's region (2, 4 or 6 digits); defaults to the caller's own */
  regionPrefix: z
    .string()
    .regex(/^\d{2}(\d{2}){0,2}$/, 'a region prefix is 2, 4 or 6 digits')
    .optional(),
});
export type FiguresQuery = z.infer<typeof FiguresQuery>;

export const Outcomes = z.object({ accept: z.number(), review: z.number(), reject: z.number() });

export const DayFigures = z.object({
  day: Day,
  /** lots that arrived (were registered) that day */
  lots: z.number(),
  /** lots with at least one code scanned */
  scannedLots: z.number(),
  /** lots with a scanned certificate the server verified and accepted */
  verifiedLots: z.number(),
  /** 查验率: scannedLots / lots — the share of arrivals whose certificate was checked at the gate; 0 with no lots */
  inspectionRate: z.number(),
  /** 核验通过率: verifiedLots / lots — the share of arrivals with a certificate that checked out; 0 with no lots */
  verifiedRate: z.number(),
  /** lots by their current outcome; open lots have none yet */
  outcomes: Outcomes,
  /** violations opened that day, by primary reason code */
  violations: z.record(z.string(), z.number()),
});
export type DayFigures = z.infer<typeof DayFigures>;

export const Figures = z.object({
  from: Day,
  to: Day,
  /** null: every region (admins) */
  regionPrefix: z.string().nullable(),
  /** days run from midnight to midnight in this offset */
  utcOffset: z.literal('+08:00'),
  days: z.array(DayFigures),
  /** over the whole range, most frequent first */
  violationsByReason: z.array(z.object({ reason: z.string(), count: z.number() })),
});
export type Figures = z.infer<typeof Figures>;
