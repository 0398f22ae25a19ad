import { seededRandom } from '../random/seeded-random.ts';
import { gradeWeights } from '../rapid-test/sampling.ts';
import type { CreditGrade } from '../trust/snapshot.ts';

/**
 * 双随机: randomly chosen inspectors check randomly chosen markets and stalls. Pure and seeded: the same seed over
 * the same pools draws the same tasks, whatever order the pools arrive in, so a logged draw can be re-run by anyone.
 */

export interface PoolInspector {
  userId: number;
  /** the regulator's own region: 2, 4 or 6 leading digits of a region code */
  regionPrefix: string;
}

export interface PoolTarget {
  kind: 'market' | 'stall';
  marketId: number;
  stallId: number | null;
  /** the market's county (six digits) */
  regionCode: string;
  /** the lowest credit grade among the target's vendors or producers; null when none is known */
  creditGrade: CreditGrade | null;
}

export interface DrawRequest {
  seed: string;
  /** how many targets to inspect; the whole pool when it is smaller */
  count: number;
  /** lower grades weighted up as in sampling (A 1, B 2, C 4, D 8) */
  weightByCredit: boolean;
}

export interface DrawnTask {
  inspectorId: number;
  target: PoolTarget;
}

export type DrawError =
  | { code: 'DRAW_POOL_EMPTY'; pool: 'inspectors' | 'targets'; message: string }
  | { code: 'DRAW_REGION_CONSTRAINT'; target: PoolTarget; message: string };

export type DrawResult = { ok: true; tasks: DrawnTask[] } | { ok: false; error: DrawError };

/** The key targets are sorted by before drawing, so the pool's arrival order does not change the result. */
export function targetKey(target: PoolTarget): string {
  return `${target.kind}:${String(target.marketId).padStart(10, '0')}:${String(target.stallId ?? 0).padStart(10, '0')}`;
}

/** An inspector never inspects their own region: the target's county must lie outside their prefix. */
export function mayInspect(inspector: PoolInspector, target: PoolTarget): boolean {
  return !target.regionCode.startsWith(inspector.regionPrefix);
}

function targetWeight(target: PoolTarget, weightByCredit: boolean): number {
  if (!weightByCredit) return 1;
  return target.creditGrade ? gradeWeights[target.creditGrade] : gradeWeights.B;
}

/** Weighted sample without replacement (Efraimidis–Spirakis: key u^(1/w), the largest keys win). */
function drawTargets(targets: readonly PoolTarget[], request: DrawRequest, next: () => number): PoolTarget[] {
  const ordered = [...targets].sort((a, b) => (targetKey(a) < targetKey(b) ? -1 : 1));
  return ordered
    .map((target) => ({ target, key: next() ** (1 / targetWeight(target, request.weightByCredit)) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, request.count)
    .map((entry) => entry.target);
}

/**
 * Each drawn target gets one eligible inspector at random among those with the fewest tasks so far, so the work
 * spreads evenly. A target no inspector may inspect makes the whole draw fail: a draw is all or nothing.
 */
function assignInspectors(
  drawn: readonly PoolTarget[],
  inspectors: readonly PoolInspector[],
  next: () => number,
): DrawResult {
  const ordered = [...inspectors].sort((a, b) => a.userId - b.userId);
  const load = new Map<number, number>(ordered.map((i) => [i.userId, 0]));
  const tasks: DrawnTask[] = [];
  for (const target of drawn) {
    const eligible = ordered.filter((i) => mayInspect(i, target));
    if (eligible.length === 0) {
      return {
        ok: false,
        error: {
          code: 'DRAW_REGION_CONSTRAINT',
          target,
          message: `所有检查人员都属于 ${target.regionCode} 所在地区，无法交叉检查 / every inspector in the pool belongs to the region of ${targetKey(target)}`,
        },
      };
    }
    const least = Math.min(...eligible.map((i) => load.get(i.userId) ?? 0));
    const candidates = eligible.filter((i) => load.get(i.userId) === least);
    const chosen = candidates[Math.floor(next() * candidates.length)] as PoolInspector;
    load.set(chosen.userId, least + 1);
    tasks.push({ inspectorId: chosen.userId, target });
  }
  return { ok: true, tasks };
}

export function drawCrossInspection(
  inspectors: readonly PoolInspector[],
  targets: readonly PoolTarget[],
  request: DrawRequest,
): DrawResult {
  if (inspectors.length === 0) {
    return {
      ok: false,
      error: {
        code: 'DRAW_POOL_EMPTY',
        pool: 'inspectors',
        message: '检查人员库为空 / the inspector pool is empty',
      },
    };
  }
  if (targets.length === 0) {
    return {
      ok: false,
      error: {
        code: 'DRAW_POOL_EMPTY',
        pool: 'targets',
        message: '检查对象库为空 / the target pool is empty',
      },
    };
  }
  const next = seededRandom(request.seed);
  return assignInspectors(drawTargets(targets, request, next), inspectors, next);
}
