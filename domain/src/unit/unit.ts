import { z } from 'zod';

/** Weight units convert into kilograms; count units never convert into weight. */
export const weightUnits = ['kg', 'g', 't', 'jin', 'gongjin'] as const;
export const countUnits = ['head', 'piece', 'box'] as const;
export const units = [...weightUnits, ...countUnits] as const;

export const Unit = z.enum(units);
export type Unit = z.infer<typeof Unit>;

export type WeightUnit = (typeof weightUnits)[number];
export type CountUnit = (typeof countUnits)[number];

/**
 * Milli-units per unit. Weights share one scale (milli-kilograms, i.e. grams) so any two weights compare;
 * each count unit is its own scale, because a head is not a box.
 */
const milliPerWeightUnit: Record<WeightUnit, number> = {
  g: 1,
  kg: 1_000,
  gongjin: 1_000,
  jin: 500,
  t: 1_000_000,
};
const milliPerCount = 1_000;

export function isWeightUnit(unit: Unit): unit is WeightUnit {
  return (weightUnits as readonly string[]).includes(unit);
}

export function isCountUnit(unit: Unit): unit is CountUnit {
  return (countUnits as readonly string[]).includes(unit);
}

export type UnitErrorCode = 'COUNT_NOT_WEIGHT' | 'DIFFERENT_COUNTS' | 'NOT_A_QUANTITY';
export interface UnitError {
  code: UnitErrorCode;
  from: Unit;
  to: Unit;
}

export type Converted = { ok: true; value: number } | { ok: false; error: UnitError };

/**
 * A quantity as an integer number of milli-units on its unit's scale. Comparing these avoids float drift
 * (0.1 t + 0.2 t is exactly 300 000 g here).
 */
export function toMilli(quantity: number, unit: Unit): number {
  const factor = isWeightUnit(unit) ? milliPerWeightUnit[unit] : milliPerCount;
  return Math.round(quantity * factor);
}

function fromMilli(milli: number, unit: Unit): number {
  const factor = isWeightUnit(unit) ? milliPerWeightUnit[unit] : milliPerCount;
  return milli / factor;
}

function unitError(from: Unit, to: Unit): UnitError {
  if (isCountUnit(from) && isCountUnit(to)) return { code: 'DIFFERENT_COUNTS', from, to };
  return { code: 'COUNT_NOT_WEIGHT', from, to };
}

/** Whether quantities in these two units can be compared at all. */
export function comparableUnits(a: Unit, b: Unit): boolean {
  return a === b || (isWeightUnit(a) && isWeightUnit(b));
}

/** Milli-units of `quantity` expressed on `to`'s scale, or why it cannot be. */
export function toMilliIn(quantity: number, from: Unit, to: Unit): Converted {
  if (!Number.isFinite(quantity)) return { ok: false, error: { code: 'NOT_A_QUANTITY', from, to } };
  if (!comparableUnits(from, to)) return { ok: false, error: unitError(from, to) };
  const milli = toMilli(quantity, from);
  // Weights already share one scale; counts only ever meet their own unit.
  return { ok: true, value: milli };
}

/** `quantity` of `from` in `to` (e.g. 3 jin → 1.5 kg). Counts never convert into weights or other counts. */
export function convertQuantity(quantity: number, from: Unit, to: Unit): Converted {
  const milli = toMilliIn(quantity, from, to);
  if (!milli.ok) return milli;
  return { ok: true, value: fromMilli(milli.value, to) };
}

/** Words people type or print for units, after normalisation (NFKC, lower case, no spaces). */
const unitWords: Record<string, Unit> = {
  kg: 'kg',
  kgs: 'kg',
  千克: 'kg',
  公斤: 'gongjin',
  g: 'g',
  克: 'g',
  t: 't',
  吨: 't',
  公吨: 't',
  斤: 'jin',
  市斤: 'jin',
  jin: 'jin',
  gongjin: 'gongjin',
  头: 'head',
  只: 'head',
  羽: 'head',
  head: 'head',
  件: 'piece',
  个: 'piece',
  枚: 'piece',
  piece: 'piece',
  pcs: 'piece',
  箱: 'box',
  盒: 'box',
  筐: 'box',
  box: 'box',
};

export type ParsedUnit =
  | { ok: true; unit: Unit }
  | { ok: false; error: { code: 'UNKNOWN_UNIT'; word: string } };

/** Reads a user-entered unit word (`公斤`, `斤`, `千克`, `KG`, `箱` …). */
export function parseUnit(word: string): ParsedUnit {
  const key = word.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const unit = unitWords[key];
  return unit ? { ok: true, unit } : { ok: false, error: { code: 'UNKNOWN_UNIT', word } };
}

/**
 * How each unit is printed on a certificate, a label and the public page: the one table of unit words, so no
 * internal code (`kg`, `head`) ever reaches a person. `head` covers 头 and 只 when read; livestock is counted
 * in 头. `piece` is printed 只, the word the template uses for poultry and eggs counted one by one.
 */
export const unitNames: Readonly<Record<Unit, string>> = {
  kg: '千克',
  g: '克',
  t: '吨',
  jin: '斤',
  gongjin: '公斤',
  head: '头',
  piece: '只',
  box: '箱',
};

/** The printed word for a unit (kg → 千克). */
export function unitName(unit: Unit): string {
  return unitNames[unit];
}

/** A quantity as shown to a person: at most three decimals, no float noise (0.1 + 0.2 → 0.3). */
export function shownQuantity(quantity: number): number {
  return Number(quantity.toFixed(3));
}

/** A quantity as printed: at most three decimals, no float noise (0.1 + 0.2 → 0.3), then the unit word. */
export function formatQuantity(quantity: number, unit: Unit): string {
  return `${shownQuantity(quantity)} ${unitName(unit)}`;
}
