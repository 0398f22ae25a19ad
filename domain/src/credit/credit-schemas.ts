import { z } from 'zod';
import { MultiLineText } from '../text/text.ts';
import { CreditGrade } from '../trust/snapshot.ts';

export const CreditRuleView = z.object({ rule: z.string(), points: z.number(), count: z.number() });

/** One row of a producer's grade history: a recomputation or an admin override. */
export const CreditGradeView = z.object({
  id: z.number(),
  issuerId: z.number(),
  grade: CreditGrade,
  score: z.number(),
  source: z.enum(['computed', 'override']),
  trigger: z.string(),
  reason: z.string(),
  actor: z.string(),
  computedAt: z.string(),
  rules: z.array(CreditRuleView),
});
export type CreditGradeView = z.infer<typeof CreditGradeView>;

export const CreditHistory = z.object({
  issuerId: z.number(),
  current: CreditGradeView.nullable(),
  history: z.array(CreditGradeView),
});

/** An admin's override; the reason is checked by the service so a blank one gets its own code. */
export const CreditOverride = z.strictObject({
  grade: CreditGrade,
  reason: MultiLineText.trim().max(1000).default(''),
});
