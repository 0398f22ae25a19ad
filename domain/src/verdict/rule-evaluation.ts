import { evaluateLogic, isTruthy } from '../rules/logic.ts';
import type { RuleData } from '../rules/rule-data.ts';
import type { RuleScope, RuleSet } from '../rules/rule-set.ts';
import type { Reason } from './verdict-result.ts';

/**
 * Applies every rule of `scope` that covers `category` to `data`. A failing rule yields its reason; a rule that
 * cannot be evaluated yields RULE_ERROR (review), because not knowing is not the same as failing.
 */
export function applyRules(
  ruleSet: RuleSet,
  scope: RuleScope,
  category: string,
  data: RuleData,
  documentIndex?: number,
): Reason[] {
  const reasons: Reason[] = [];
  const at = documentIndex === undefined ? {} : { documentIndex };
  for (const rule of ruleSet.rules) {
    if ((rule.scope ?? 'certificate') !== scope) continue;
    if (rule.categories && !rule.categories.includes(category)) continue;
    const result = evaluateLogic(rule.logic, data);
    if (!result.ok) {
      reasons.push({
        code: 'RULE_ERROR',
        ...at,
        detail: `${rule.id}: ${result.error.code} at ${result.error.path}`,
      });
    } else if (!isTruthy(result.value)) {
      reasons.push({ code: rule.reason, ...at, detail: rule.id });
    }
  }
  return reasons;
}
