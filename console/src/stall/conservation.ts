import { comparableUnits, toMilli, type Unit } from '@liangzheng/domain/unit/unit';

export interface DraftInput {
  quantity: number;
  unit: Unit;
}
export interface DraftOutput {
  quantity: number;
  unit: Unit;
}

/** What the form shows while the vendor types: taken, made and lost, in the first output's unit. */
export type Conservation =
  | { ok: true; unit: Unit; taken: number; made: number; loss: number; lossShare: number }
  | { ok: false; problem: 'empty' | 'units' | 'made_exceeds_taken' };

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The live sum of a transformation before it is sent: the server checks the same with the shared core
 * (planTransformation); this only lets the vendor see the numbers add up as they type.
 */
export function conservation(inputs: readonly DraftInput[], outputs: readonly DraftOutput[]): Conservation {
  const filled = <T extends { quantity: number }>(rows: readonly T[]) =>
    rows.filter((row) => Number.isFinite(row.quantity) && row.quantity > 0);
  const taking = filled(inputs);
  const making = filled(outputs);
  if (taking.length === 0 || making.length === 0) return { ok: false, problem: 'empty' };
  const unit = making[0]!.unit;
  if (![...taking, ...making].every((row) => comparableUnits(row.unit, unit)))
    return { ok: false, problem: 'units' };
  const taken = taking.reduce((sum, row) => sum + toMilli(row.quantity, row.unit), 0);
  const made = making.reduce((sum, row) => sum + toMilli(row.quantity, row.unit), 0);
  if (made > taken) return { ok: false, problem: 'made_exceeds_taken' };
  const perUnit = toMilli(1, unit);
  return {
    ok: true,
    unit,
    taken: round(taken / perUnit),
    made: round(made / perUnit),
    loss: round((taken - made) / perUnit),
    lossShare: (taken - made) / taken,
  };
}
