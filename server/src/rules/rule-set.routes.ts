import {
  ActiveRuleSet,
  RuleSet,
  RuleSetValidation,
  RuleSetVersionParam,
  RuleSetVersionSummary,
  validateRuleSet,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import type { RegistryRepository } from '../registry/registry.repository.ts';
import { activateRuleSet, activeRuleSetBody, ruleSetFromStored } from './rule-set-store.ts';

/**
 * Rule sets: validate, publish a new version (it becomes active and reaches agents as a trust change), and roll
 * back or forward by activating a stored version. A rule set that fails `validateRuleSet` is refused, never stored.
 */
export const ruleSetRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['rules'];
    const readers = app.requireRole(['market_admin', 'regulator']);
    const adminOnly = app.requireRole([]);

    const announce = (version: number) => {
      app.scanFlow.trust.invalidate();
      app.scanFlow.live.toAgents('trust:changed', { version });
    };

    app.get(
      '/rule-sets',
      {
        schema: { tags, response: { 200: z.array(RuleSetVersionSummary), ...errorResponses(401, 403) } },
        preParsing: readers,
      },
      async () =>
        (await app.prisma.ruleSetVersion.findMany({ orderBy: { createdAt: 'desc' } })).map((row) => ({
          version: row.version,
          active: row.active,
          createdAt: row.createdAt.toISOString(),
        })),
    );

    app.get(
      '/rule-sets/active',
      {
        schema: { tags, response: { 200: ActiveRuleSet, ...errorResponses(401, 403, 503) } },
        preParsing: readers,
      },
      async () => {
        const body = await activeRuleSetBody(app.prisma);
        return { source: body === null ? 'default' : 'stored', ruleSet: ruleSetFromStored(body) } as const;
      },
    );

    app.get(
      '/rule-sets/:version',
      {
        schema: {
          tags,
          params: RuleSetVersionParam,
          response: { 200: RuleSet, ...errorResponses(401, 403, 404) },
        },
        preParsing: readers,
      },
      async (request) => {
        const row = await app.prisma.ruleSetVersion.findUnique({
          where: { version: request.params.version },
        });
        if (!row) throw new ApiProblem('NOT_FOUND', 'rule set version not found');
        return JSON.parse(row.body) as RuleSet;
      },
    );

    app.post(
      '/rule-sets/validate',
      {
        schema: {
          tags,
          body: z.unknown(),
          response: { 200: RuleSetValidation, ...errorResponses(401, 403) },
        },
        preParsing: adminOnly,
      },
      async (request) => {
        const checked = validateRuleSet(request.body);
        return checked.ok ? { ok: true, errors: [] } : { ok: false, errors: checked.errors };
      },
    );

    app.post(
      '/rule-sets',
      {
        schema: {
          tags,
          body: z.unknown(),
          response: { 201: RuleSetVersionSummary, ...errorResponses(400, 401, 403, 409) },
        },
        preParsing: adminOnly,
      },
      async (request, reply) => {
        const checked = validateRuleSet(request.body);
        if (!checked.ok) {
          throw new ApiProblem(
            'RULE_SET_INVALID',
            '规则集无效，未保存 / the rule set is invalid and was not stored',
            checked.errors.map((error) => ({
              path: error.path,
              message: error.ruleId ? `${error.code} (rule ${error.ruleId})` : error.code,
            })),
          );
        }
        const { ruleSet } = checked;
        if (await app.prisma.ruleSetVersion.findUnique({ where: { version: ruleSet.version } })) {
          throw new ApiProblem(
            'ALREADY_EXISTS',
            `规则集版本 ${ruleSet.version} 已存在 / version already exists`,
          );
        }
        const now = repo.now();
        const { row, trustVersion } = await repo.change({
          actor: actorOf(request.principal),
          action: 'publish',
          entity: 'rule_set',
          data: { version: ruleSet.version },
          async run(tx) {
            await tx.ruleSetVersion.create({
              data: { version: ruleSet.version, body: JSON.stringify(ruleSet), createdAt: now },
            });
            const trustVersion = await activateRuleSet(tx, ruleSet.version, now);
            return {
              row: await tx.ruleSetVersion.findUniqueOrThrow({ where: { version: ruleSet.version } }),
              trustVersion,
            };
          },
          idOf: (result) => result.row.version,
        });
        announce(trustVersion);
        return reply
          .code(201)
          .send({ version: row.version, active: row.active, createdAt: row.createdAt.toISOString() });
      },
    );

    app.post(
      '/rule-sets/:version/activate',
      {
        schema: {
          tags,
          params: RuleSetVersionParam,
          response: { 200: RuleSetVersionSummary, ...errorResponses(401, 403, 404, 409) },
        },
        preParsing: adminOnly,
      },
      async (request) => {
        const { version } = request.params;
        const stored = await app.prisma.ruleSetVersion.findUnique({ where: { version } });
        if (!stored) throw new ApiProblem('NOT_FOUND', 'rule set version not found');
        // A version stored before today's validation may no longer pass it: it is not brought back.
        if (!validateRuleSet(safeJson(stored.body)).ok) {
          throw new ApiProblem(
            'RULE_SET_INVALID',
            `规则集 ${version} 无效，不能启用 / version ${version} is invalid`,
          );
        }
        const now = repo.now();
        const trustVersion = await repo.change({
          actor: actorOf(request.principal),
          action: 'activate',
          entity: 'rule_set',
          data: { version },
          run: (tx) => activateRuleSet(tx, version, now),
          idOf: () => version,
        });
        announce(trustVersion);
        return { version, active: true, createdAt: stored.createdAt.toISOString() };
      },
    );
  };

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
