import { describe, expect, it } from 'vitest';
import {
  drawCrossInspection,
  type PoolInspector,
  type PoolTarget,
} from '../../src/inspection/cross-inspection-draw.ts';
import { seededRandom } from '../../src/random/seeded-random.ts';

const inspectors: PoolInspector[] = [
  { userId: 1, regionPrefix: '4301' },
  { userId: 2, regionPrefix: '4302' },
  { userId: 3, regionPrefix: '430211' },
];
const market = (
  marketId: number,
  regionCode: string,
  creditGrade: PoolTarget['creditGrade'] = 'B',
): PoolTarget => ({
  kind: 'market',
  marketId,
  stallId: null,
  regionCode,
  creditGrade,
});
const targets = [market(1, '430102'), market(2, '430211'), market(3, '430105'), market(4, '430203')];
const request = { seed: 'draw-2026-06', count: 3, weightByCredit: false };

describe('seeded random', () => {
  it('the same seed gives the same numbers, another seed others', () => {
    const take = (seed: string) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take('a')).toEqual(take('a'));
    expect(take('a')).not.toEqual(take('b'));
    for (const n of take('a')) expect(n >= 0 && n < 1).toBe(true);
  });
});

describe('双随机 draw', () => {
  it('is reproducible: the same seed over the same pools, in any order, draws the same tasks', () => {
    const first = drawCrossInspection(inspectors, targets, request);
    const again = drawCrossInspection([...inspectors].reverse(), [...targets].reverse(), request);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
  });

  it('no inspector inspects their own region or county', () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const result = drawCrossInspection(inspectors, targets, { ...request, seed, count: 4 });
      if (!result.ok) throw new Error(result.error.message);
      for (const task of result.tasks) {
        const inspector = inspectors.find((i) => i.userId === task.inspectorId) as PoolInspector;
        expect(task.target.regionCode.startsWith(inspector.regionPrefix)).toBe(false);
      }
    }
  });

  it('draws the whole pool when asked for more than it holds, each target once', () => {
    const result = drawCrossInspection(inspectors, targets, { ...request, count: 10 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.tasks.map((t) => t.target.marketId).sort()).toEqual([1, 2, 3, 4]);
  });

  it('an empty inspector pool is DRAW_POOL_EMPTY', () => {
    expect(drawCrossInspection([], targets, request)).toMatchObject({
      ok: false,
      error: { code: 'DRAW_POOL_EMPTY', pool: 'inspectors' },
    });
  });

  it('an empty target pool is DRAW_POOL_EMPTY', () => {
    expect(drawCrossInspection(inspectors, [], request)).toMatchObject({
      ok: false,
      error: { code: 'DRAW_POOL_EMPTY', pool: 'targets' },
    });
  });

  it('a target only its own region’s inspectors could take is DRAW_REGION_CONSTRAINT', () => {
    const result = drawCrossInspection([{ userId: 1, regionPrefix: '4301' }], [market(1, '430102')], request);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'DRAW_REGION_CONSTRAINT', target: { marketId: 1 } },
    });
  });

  it('weighted by credit, D targets are drawn far more often than A targets', () => {
    const pool = [
      ...Array.from({ length: 20 }, (_, i) => market(i + 1, '430102', 'A')),
      ...Array.from({ length: 20 }, (_, i) => market(i + 21, '430102', 'D')),
    ];
    const count = (weightByCredit: boolean) => {
      let d = 0;
      for (let s = 0; s < 50; s++) {
        const result = drawCrossInspection([{ userId: 2, regionPrefix: '4302' }], pool, {
          seed: `s${s}`,
          count: 5,
          weightByCredit,
        });
        if (!result.ok) throw new Error(result.error.message);
        d += result.tasks.filter((t) => t.target.creditGrade === 'D').length;
      }
      return d;
    };
    expect(count(true)).toBeGreaterThan(count(false) + 50);
  });

  it('spreads the tasks: no inspector gets two before every eligible one has one', () => {
    const wide = [
      { userId: 1, regionPrefix: '4301' },
      { userId: 2, regionPrefix: '4301' },
    ];
    const result = drawCrossInspection(wide, [market(1, '430211'), market(2, '430203')], {
      ...request,
      count: 2,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(new Set(result.tasks.map((t) => t.inspectorId)).size).toBe(2);
  });
});
