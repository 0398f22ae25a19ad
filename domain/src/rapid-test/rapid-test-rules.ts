import type { HoldStage, RapidTestDecision, RapidTestMethod, RapidTestResult } from './rapid-test-schemas.ts';
import { rapidMethods } from './rapid-test-schemas.ts';

/** The vendor may ask for a retest within 4 hours of a positive rapid test. */
export const retestWindowMs = 4 * 60 * 60 * 1000;

export type RapidTestRefusalCode =
  | 'RAPID_TEST_NOT_POSITIVE'
  | 'RETEST_METHOD_NOT_ALLOWED'
  | 'RETEST_WINDOW_CLOSED'
  | 'RETEST_ALREADY_RECORDED'
  | 'DECISION_BEFORE_WINDOW_ENDS'
  | 'DECISION_NOT_ALLOWED'
  | 'ALREADY_DECIDED';

export type RapidTestCheck = { ok: true } | { ok: false; code: RapidTestRefusalCode; message: string };

/** The first positive test, with what has happened to it since. */
export interface PositiveCase {
  result: RapidTestResult;
  retestOfId: string | null;
  retestBy: Date | null;
  decision: RapidTestDecision | null;
  retestResult: RapidTestResult | null;
}

const ok: RapidTestCheck = { ok: true };
const refuse = (code: RapidTestRefusalCode, message: string): RapidTestCheck => ({
  ok: false,
  code,
  message,
});

export function retestByOf(testedAt: Date): Date {
  return new Date(testedAt.getTime() + retestWindowMs);
}

/** A positive first test holds goods until decided; retests and negatives hold nothing. */
export function isHoldingTest(test: Pick<PositiveCase, 'result' | 'retestOfId'>): boolean {
  return test.result === 'positive' && test.retestOfId === null;
}

/**
 * Where a positive stands at `now`: a negative retest clears it, a positive retest confirms it, and so does a
 * window that ran out without a retest.
 */
export function stageOf(test: PositiveCase, now: Date): HoldStage | null {
  if (!isHoldingTest(test)) return null;
  if (test.decision) return 'decided';
  if (test.retestResult === 'negative') return 'cleared';
  if (test.retestResult === 'positive') return 'confirmed';
  return test.retestBy && now.getTime() < test.retestBy.getTime() ? 'awaiting_retest' : 'confirmed';
}

function notPositive(test: PositiveCase): RapidTestCheck | null {
  if (isHoldingTest(test)) return null;
  return refuse(
    'RAPID_TEST_NOT_POSITIVE',
    '只有阳性的初检可以复检或处置 / only a positive first test can be retested or decided',
  );
}

/** A retest: a non-rapid method, within the window, once, before any decision. */
export function checkRetest(test: PositiveCase, method: RapidTestMethod, now: Date): RapidTestCheck {
  const refused = notPositive(test);
  if (refused) return refused;
  if (rapidMethods.includes(method)) {
    return refuse(
      'RETEST_METHOD_NOT_ALLOWED',
      '复检不得采用快速检测方法，请用实验室方法 / a retest may not use a rapid method; use a laboratory method',
    );
  }
  if (test.decision) return refuse('ALREADY_DECIDED', '已作出处置决定 / the goods were already decided on');
  if (test.retestResult)
    return refuse('RETEST_ALREADY_RECORDED', '已有复检结果 / a retest is already recorded');
  if (!test.retestBy || now.getTime() >= test.retestBy.getTime()) {
    return refuse('RETEST_WINDOW_CLOSED', '4 小时复检期限已过 / the 4-hour retest window has ended');
  }
  return ok;
}

/**
 * A decision comes once the retest is in or the window has ended. Goods a negative retest cleared can only be
 * released; a confirmed positive can only be destroyed under supervision or returned.
 */
export function checkDecision(test: PositiveCase, decision: RapidTestDecision, now: Date): RapidTestCheck {
  const refused = notPositive(test);
  if (refused) return refused;
  const stage = stageOf(test, now);
  if (stage === 'decided')
    return refuse('ALREADY_DECIDED', '已作出处置决定 / the goods were already decided on');
  if (stage === 'awaiting_retest') {
    return refuse(
      'DECISION_BEFORE_WINDOW_ENDS',
      '复检期限未到且尚无复检结果，暂不能处置 / no decision before the retest window ends without a retest result',
    );
  }
  if (stage === 'cleared' && decision !== 'released') {
    return refuse(
      'DECISION_NOT_ALLOWED',
      '复检阴性，只能解除扣留 / a negative retest can only release the goods',
    );
  }
  if (stage === 'confirmed' && decision === 'released') {
    return refuse(
      'DECISION_NOT_ALLOWED',
      '阳性已确认，不得放行；应监督销毁或退回 / a confirmed positive cannot be released: destroy or return it',
    );
  }
  return ok;
}
