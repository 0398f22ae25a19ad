import { defaultRuleSet, type RuleSet, validateRuleSet } from '@liangzheng/domain';
import { ApiProblem } from '../http/error-code.ts';
import type { Db, Tx } from '../storage/db.ts';

/**
 * The rule set a stored body holds, or the shipped default when none was ever published. A stored body that no
 * longer validates is refused loudly (STORED_RULE_SET_INVALID): judging by the default instead would quietly
 * drop whatever the market had published.
 */
export function ruleSetFromStored(body: string | null): RuleSet {
  if (body === null) return defaultRuleSet;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw storedInvalid('is not JSON');
  }
  const checked = validateRuleSet(json);
  if (!checked.ok) {
    throw storedInvalid(checked.errors.map((error) => `${error.code} at ${error.path}`).join('; '));
  }
  return checked.ruleSet;
}

function storedInvalid(detail: string): ApiProblem {
  return new ApiProblem(
    'STORED_RULE_SET_INVALID',
    `生效的规则集无效，请重新发布或回滚 / the active rule set stored in the database is invalid (${detail}); publish or roll back to a valid version`,
  );
}

export async function activeRuleSetBody(db: Db | Tx): Promise<string | null> {
  const row = await db.ruleSetVersion.findFirst({ where: { active: true }, orderBy: { createdAt: 'desc' } });
  return row?.body ?? null;
}

/** Makes `version` the only active rule set and records the trust change agents fetch it by. */
export async function activateRuleSet(tx: Tx, version: string, at: Date): Promise<number> {
  await tx.ruleSetVersion.updateMany({ where: { active: true }, data: { active: false } });
  await tx.ruleSetVersion.update({ where: { version }, data: { active: true } });
  return (await tx.trustChange.create({ data: { kind: 'rules', ref: version, at } })).version;
}
