import { z } from 'zod';
import { ReasonCode } from '../reason/reason-code.ts';

/** A CertLogic-style expression (a JsonLogic subset). Evaluated by `evaluateLogic`. */
export const LogicExpression: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(LogicExpression),
    z.record(z.string(), LogicExpression),
  ]),
);

/**
 * What a rule looks at. `certificate`: evaluated once per readable certificate (code or paper), with
 * `certificate` and the certificate category's `category` defaults in the data. `lot`: once per lot.
 * Absent means `certificate`.
 */
export const RuleScope = z.enum(['certificate', 'lot']);
export type RuleScope = z.infer<typeof RuleScope>;

/**
 * A rule holds while `logic` is truthy; when it fails, the lot gets `reason`. `outcome` restates what the
 * outcome table (`reasonSeverity`) says for that reason, so a rule set reads on its own; `validateRuleSet`
 * refuses a rule that disagrees.
 */
export const Rule = z.object({
  id: z.string(),
  description: z.string(),
  scope: RuleScope.optional(),
  categories: z.array(z.string()).optional(),
  reason: ReasonCode,
  outcome: z.enum(['review', 'reject']),
  logic: LogicExpression,
});
export type Rule = z.infer<typeof Rule>;

export const CategoryDefaults = z.object({
  maxAgeHours: z.number().positive(),
  requiredDocuments: z.array(z.string()),
});
export type CategoryDefaults = z.infer<typeof CategoryDefaults>;

export const RuleSet = z.object({
  version: z.string(),
  categoryDefaults: z.record(z.string(), CategoryDefaults),
  rules: z.array(Rule),
});
export type RuleSet = z.infer<typeof RuleSet>;
