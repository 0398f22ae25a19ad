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

/** A rule holds while `logic` is truthy; when it fails, the lot gets `reason` with `outcome`. */
export const Rule = z.object({
  id: z.string(),
  description: z.string(),
  categories: z.array(z.string()).optional(),
  reason: ReasonCode,
  outcome: z.enum(['review', 'reject']),
  logic: LogicExpression,
});
export type Rule = z.infer<typeof Rule>;

export const RuleSet = z.object({
  version: z.string(),
  categoryDefaults: z.record(
    z.string(),
    z.object({
      maxAgeHours: z.number().positive(),
      requiredDocuments: z.array(z.string()),
    }),
  ),
  rules: z.array(Rule),
});
export type RuleSet = z.infer<typeof RuleSet>;
