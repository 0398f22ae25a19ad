import { categories } from '../category/category.ts';
import { secondDocumentKinds } from '../lot/lot.ts';
import { reasonSeverity } from '../reason/reason-outcome.ts';
import { type LogicErrorCode, validateLogic } from './logic.ts';
import { RuleSet } from './rule-set.ts';

export type RuleSetErrorCode =
  | 'SCHEMA'
  | LogicErrorCode
  | 'DUPLICATE_RULE_ID'
  | 'OUTCOME_CONFLICT'
  | 'MISSING_CATEGORY_DEFAULT'
  | 'UNKNOWN_CATEGORY'
  | 'UNKNOWN_DOCUMENT_KIND';

export interface RuleSetError {
  code: RuleSetErrorCode;
  ruleId?: string;
  path: string;
}

export type ValidatedRuleSet = { ok: true; ruleSet: RuleSet } | { ok: false; errors: RuleSetError[] };

const knownCategories: readonly string[] = categories;
const knownDocumentKinds: readonly string[] = secondDocumentKinds;

/**
 * Checks a rule set before anyone relies on it: shape, every expression (operators, arity, depth), that each
 * rule's outcome agrees with the outcome table, and that every covered category has defaults.
 */
export function validateRuleSet(input: unknown): ValidatedRuleSet {
  const parsed = RuleSet.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ code: 'SCHEMA', path: `/${issue.path.join('/')}` })),
    };
  }
  const ruleSet = parsed.data;
  const errors: RuleSetError[] = [];
  for (const category of categories) {
    if (!ruleSet.categoryDefaults[category]) {
      errors.push({ code: 'MISSING_CATEGORY_DEFAULT', path: `/categoryDefaults/${category}` });
    }
  }
  for (const [category, defaults] of Object.entries(ruleSet.categoryDefaults)) {
    if (!knownCategories.includes(category)) {
      errors.push({ code: 'UNKNOWN_CATEGORY', path: `/categoryDefaults/${category}` });
    }
    defaults.requiredDocuments.forEach((kind, i) => {
      if (!knownDocumentKinds.includes(kind)) {
        errors.push({
          code: 'UNKNOWN_DOCUMENT_KIND',
          path: `/categoryDefaults/${category}/requiredDocuments/${i}`,
        });
      }
    });
  }
  const seen = new Set<string>();
  ruleSet.rules.forEach((rule, i) => {
    const path = `/rules/${i}`;
    if (seen.has(rule.id)) errors.push({ code: 'DUPLICATE_RULE_ID', ruleId: rule.id, path });
    seen.add(rule.id);
    if (reasonSeverity[rule.reason] !== rule.outcome) {
      errors.push({ code: 'OUTCOME_CONFLICT', ruleId: rule.id, path: `${path}/outcome` });
    }
    rule.categories?.forEach((category, j) => {
      if (!knownCategories.includes(category)) {
        errors.push({ code: 'UNKNOWN_CATEGORY', ruleId: rule.id, path: `${path}/categories/${j}` });
      }
    });
    for (const error of validateLogic(rule.logic, `${path}/logic`)) {
      errors.push({ code: error.code, ruleId: rule.id, path: error.path });
    }
  });
  return errors.length === 0 ? { ok: true, ruleSet } : { ok: false, errors };
}
