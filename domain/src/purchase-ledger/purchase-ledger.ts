import { z } from 'zod';
import { SingleLineText } from '../text/text.ts';

/**
 * The purchase ledger (进货查验记录, SAMR Order 81): one row per arrival checked at a market's gate, per market or
 * per stall, over a range of the market's calendar days. docs/purchase-ledger.md
 */
export const ledgerFormats = ['csv', 'xlsx'] as const;
export const LedgerFormat = z.enum(ledgerFormats);
export type LedgerFormat = z.infer<typeof LedgerFormat>;

/** An export covers at most this many calendar days (a year, a leap year included). */
export const LEDGER_MAX_DAYS = 366;

export const PurchaseLedgerQuery = z.strictObject({
  marketId: z.coerce.number().int().positive(),
  stallId: z.coerce.number().int().positive().optional(),
  /** first and last calendar day in the market's time zone, both included */
  from: z.iso.date(),
  to: z.iso.date(),
  format: LedgerFormat.default('csv'),
});
export type PurchaseLedgerQuery = z.output<typeof PurchaseLedgerQuery>;

export type LedgerRangeCheck =
  | { ok: true; days: number }
  | { ok: false; code: 'LEDGER_RANGE_INVALID' | 'LEDGER_RANGE_TOO_LONG'; message: string };

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The range must run forwards and cover at most a year; both ends are calendar days, both included. */
export function checkLedgerRange(from: string, to: string): LedgerRangeCheck {
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1)
    return {
      ok: false,
      code: 'LEDGER_RANGE_INVALID',
      message: `结束日期早于开始日期 (to ${to} is before from ${from})`,
    };
  if (days > LEDGER_MAX_DAYS)
    return {
      ok: false,
      code: 'LEDGER_RANGE_TOO_LONG',
      message: `导出范围不可超过一年 (${days} days; at most ${LEDGER_MAX_DAYS})`,
    };
  return { ok: true, days };
}

/** The ledger's columns, in order, as the file's header row reads them. */
export const ledgerColumns = [
  '进货日期',
  '进货时间',
  '摊位',
  '产品名称',
  '数量',
  '单位',
  '供货者名称',
  '供货者地址',
  '供货者联系方式',
  '产地',
  '查验凭证',
  '查验结果',
  '批次号',
] as const;

/** One ledger row, as written; dates and times already on the market's clock. */
export interface PurchaseLedgerRow {
  date: string;
  time: string;
  stall: string;
  productName: string;
  quantity: number;
  unit: string;
  supplier: string;
  supplierAddress: string;
  supplierContact: string;
  origin: string;
  documents: string;
  outcome: string;
  lotId: string;
}

export const ledgerCells = (r: PurchaseLedgerRow): (string | number)[] => [
  r.date,
  r.time,
  r.stall,
  r.productName,
  r.quantity,
  r.unit,
  r.supplier,
  r.supplierAddress,
  r.supplierContact,
  r.origin,
  r.documents,
  r.outcome,
  r.lotId,
];

/** `PATCH /lots/:id/supplier`: the supplier's details, optional at the gate, completed later by market staff. */
export const LotSupplierUpdate = z
  .strictObject({
    supplier: SingleLineText.trim().max(80).optional(),
    supplierAddress: SingleLineText.trim().max(120).optional(),
    supplierContact: SingleLineText.trim().max(40).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, '至少填写一项 (name at least one field)');
export type LotSupplierUpdate = z.output<typeof LotSupplierUpdate>;

export const LotSupplierView = z.object({
  id: z.string(),
  supplier: z.string(),
  supplierAddress: z.string(),
  supplierContact: z.string(),
});

/**
 * A 统一社会信用代码 or ID number as shown to those who may not see it whole: the first and last four characters
 * (two for short numbers), the rest starred, so a vendor can still be told apart from another.
 */
export function maskSubjectId(subjectId: string): string {
  const keep = subjectId.length >= 12 ? 4 : 2;
  if (subjectId.length <= keep * 2) return '*'.repeat(subjectId.length);
  return `${subjectId.slice(0, keep)}${'*'.repeat(subjectId.length - keep * 2)}${subjectId.slice(-keep)}`;
}
