import { defaultRuleSet } from '@liangzheng/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

async function asAdmin(): Promise<SessionHeaders> {
  t = await buildTestApp({ demo: true });
  return t.login('admin', TEST_ADMIN_PASSWORD);
}

/** The default rules with fresh fruit accepted for a day only. */
const shorterFruit = {
  ...defaultRuleSet,
  version: '2026.2',
  categoryDefaults: {
    ...defaultRuleSet.categoryDefaults,
    fruit: { maxAgeHours: 24, requiredDocuments: [] },
  },
};

const publish = (admin: SessionHeaders, body: unknown) =>
  t.inject({ method: 'POST', url: '/api/v1/rule-sets', payload: body as object }, admin);

const trustRules = async () => {
  const device = { authorization: `Bearer ${t.demo!.deviceToken}` };
  const res = await t.inject({ method: 'GET', url: '/api/v1/trust' }, device);
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.json().snapshot.body).rules;
};

describe('rule sets', () => {
  it('a published version becomes active and reaches agents in the trust snapshot', async () => {
    const admin = await asAdmin();
    expect((await trustRules()).version).toBe(defaultRuleSet.version);
    const res = await publish(admin, shorterFruit);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: '2026.2', active: true });
    const rules = await trustRules();
    expect(rules.version).toBe('2026.2');
    expect(rules.categoryDefaults.fruit.maxAgeHours).toBe(24);
  });

  it('refuses an invalid rule set with the validator’s codes, and stores nothing', async () => {
    const admin = await asAdmin();
    const { livestock_poultry: _dropped, ...partial }: Record<string, unknown> =
      shorterFruit.categoryDefaults;
    const broken = {
      ...shorterFruit,
      categoryDefaults: partial,
      rules: [{ ...shorterFruit.rules[0]!, outcome: 'review' }],
    };
    const res = await publish(admin, broken);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('RULE_SET_INVALID');
    expect(res.json().error.issues.map((issue: { message: string }) => issue.message.split(' ')[0])).toEqual([
      'MISSING_CATEGORY_DEFAULT',
      'OUTCOME_CONFLICT',
    ]);
    expect(await t.prisma.ruleSetVersion.count()).toBe(0);

    const validation = await t.inject(
      { method: 'POST', url: '/api/v1/rule-sets/validate', payload: broken },
      admin,
    );
    expect(validation.json().ok).toBe(false);
    const fine = await t.inject(
      { method: 'POST', url: '/api/v1/rule-sets/validate', payload: shorterFruit },
      admin,
    );
    expect(fine.json()).toEqual({ ok: true, errors: [] });
  });

  it('refuses a version number already published (409)', async () => {
    const admin = await asAdmin();
    expect((await publish(admin, shorterFruit)).statusCode).toBe(201);
    const again = await publish(admin, shorterFruit);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_EXISTS');
  });

  it('rolls back by activating an earlier version, which agents then receive', async () => {
    const admin = await asAdmin();
    expect((await publish(admin, { ...defaultRuleSet, version: '2026.1-local' })).statusCode).toBe(201);
    expect((await publish(admin, shorterFruit)).statusCode).toBe(201);
    const back = await t.inject({ method: 'POST', url: '/api/v1/rule-sets/2026.1-local/activate' }, admin);
    expect(back.statusCode, back.body).toBe(200);
    expect((await trustRules()).version).toBe('2026.1-local');
    const listed = await t.inject({ method: 'GET', url: '/api/v1/rule-sets' }, admin);
    expect(
      listed
        .json()
        .map((row: { version: string; active: boolean }) => [row.version, row.active])
        .sort(),
    ).toEqual([
      ['2026.1-local', true],
      ['2026.2', false],
    ]);
  });

  it('an invalid rule set stored outside the API is refused loudly, never replaced by the default', async () => {
    const admin = await asAdmin();
    await t.prisma.ruleSetVersion.create({
      data: {
        version: 'hand-edited',
        body: JSON.stringify({ ...shorterFruit, rules: 'none' }),
        active: true,
      },
    });
    await t.prisma.trustChange.create({ data: { kind: 'rules', ref: 'hand-edited' } });
    const device = { authorization: `Bearer ${t.demo!.deviceToken}` };
    const trust = await t.inject({ method: 'GET', url: '/api/v1/trust' }, device);
    expect(trust.statusCode).toBe(503);
    expect(trust.json().error.code).toBe('STORED_RULE_SET_INVALID');
    const active = await t.inject({ method: 'GET', url: '/api/v1/rule-sets/active' }, admin);
    expect(active.json().error.code).toBe('STORED_RULE_SET_INVALID');
    // the way out: publishing a valid version replaces it
    expect((await publish(admin, shorterFruit)).statusCode).toBe(201);
    expect((await trustRules()).version).toBe('2026.2');
  });
});
