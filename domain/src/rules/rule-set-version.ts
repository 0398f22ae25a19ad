import { z } from 'zod';
import { SingleLineText } from '../text/text.ts';
import { RuleSet } from './rule-set.ts';

/** A stored rule set version as the rule set screen lists it. */
export const RuleSetVersionSummary = z.object({
  version: z.string(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
});

/** The rule set in force: the stored active version, or the shipped default while none was published. */
export const ActiveRuleSet = z.object({
  source: z.enum(['stored', 'default']),
  ruleSet: RuleSet,
});

/** What `POST /rule-sets/validate` answers: the same errors a refused publish names, none when it would pass. */
export const RuleSetValidation = z.object({
  ok: z.boolean(),
  errors: z.array(z.object({ code: z.string(), ruleId: z.string().optional(), path: z.string() })),
});

export const RuleSetVersionParam = z.strictObject({ version: SingleLineText.min(1).max(40) });
