import { describe, expect, it } from 'vitest';
import { conservation } from '../src/stall/conservation.ts';

describe('the stall form’s live taken / made / loss', () => {
  it('adds inputs and outputs across weight units, in the first output’s unit', () => {
    expect(
      conservation(
        [
          { quantity: 10, unit: 'kg' },
          { quantity: 6, unit: 'jin' },
        ],
        [{ quantity: 12, unit: 'kg' }],
      ),
    ).toMatchObject({ ok: true, unit: 'kg', taken: 13, made: 12, loss: 1 });
  });

  it('says when the outputs make more than is taken, or units do not convert', () => {
    expect(conservation([{ quantity: 10, unit: 'kg' }], [{ quantity: 11, unit: 'kg' }])).toEqual({
      ok: false,
      problem: 'made_exceeds_taken',
    });
    expect(conservation([{ quantity: 10, unit: 'kg' }], [{ quantity: 1, unit: 'box' }])).toEqual({
      ok: false,
      problem: 'units',
    });
  });

  it('waits for at least one input and one output with a positive quantity', () => {
    expect(conservation([{ quantity: Number.NaN, unit: 'kg' }], [{ quantity: 1, unit: 'kg' }])).toEqual({
      ok: false,
      problem: 'empty',
    });
  });
});
