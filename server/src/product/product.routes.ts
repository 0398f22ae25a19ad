import {
  Product,
  ProductCreate,
  ProductImport,
  ProductImportResult,
  ProductUpdate,
  parseProductCsv,
  type RuleSet,
  roles,
} from '@liangzheng/domain';
import { CsvIssue, csvIssue } from '@liangzheng/domain/product/csv-problem';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, ErrorBody, ErrorIssue, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { addEntityRoutes } from '../registry/entity-routes.ts';
import type { RegistryRepository } from '../registry/registry.repository.ts';
import { activeRuleSetBody, ruleSetFromStored } from '../rules/rule-set-store.ts';
import { type ProductRow, productData, productView, recordProductChange } from './product-catalogue.ts';

type Row = ProductRow & { id: number };

/** The import's 400: a bad CSV names each line with its problem's code (`CsvIssue`); a bad body, its fields. */
const ImportRefused = ErrorBody.extend({
  error: ErrorBody.shape.error.extend({ issues: z.array(z.union([CsvIssue, ErrorIssue])).optional() }),
});
const withId = (row: ProductRow): Row => ({ ...row, id: row.code });

/**
 * The product catalogue at `/products`: everyone signed in reads it (issuing and admitting name products from
 * it); the platform administrator adds, edits, retires and imports. Each write is a trust change for agents.
 */
export const productRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const isCatalogue = (url: string) => url.startsWith('/api/v1/products');
    /**
     * The second documents each category needs follow the active rule set, read before each catalogue request
     * (toView is synchronous). Requests running at once may share the newer read, which is the one in force.
     */
    let rules: RuleSet | undefined;
    app.addHook('preHandler', async (request) => {
      if (isCatalogue(request.url)) rules = ruleSetFromStored(await activeRuleSetBody(app.prisma));
    });
    const toView = (row: Row) => productView(row, rules as RuleSet);

    // Agents are told once a write has committed (the response is sent), with the latest trust version.
    app.addHook('onResponse', async (request, reply) => {
      if (!isCatalogue(request.url) || request.method === 'GET' || reply.statusCode >= 300) return;
      app.scanFlow.trust.invalidate();
      const latest = await app.prisma.trustChange.aggregate({ _max: { version: true } });
      app.scanFlow.live.toAgents('trust:changed', { version: latest._max.version ?? 0 });
    });
    const at = () => repo.now();

    addEntityRoutes(app, repo, {
      path: '/products',
      entity: 'product',
      view: Product,
      toView,
      list: {
        roles,
        errors: [401],
        rows: async () => (await app.prisma.product.findMany({ orderBy: { code: 'asc' } })).map(withId),
      },
      read: {
        roles,
        errors: [401, 404],
        async row(_principal, code) {
          const row = await app.prisma.product.findUnique({ where: { code } });
          if (!row) throw new ApiProblem('NOT_FOUND', 'product not found');
          return withId(row);
        },
      },
      create: {
        roles: [],
        body: ProductCreate,
        errors: [400, 401, 403, 409],
        async accept(_principal, body) {
          if (await app.prisma.product.findUnique({ where: { code: body.code } })) {
            throw new ApiProblem(
              'ALREADY_EXISTS',
              `产品编码 ${body.code} 已存在 / product code already exists`,
            );
          }
          return body;
        },
        async run(tx, body) {
          const row = await tx.product.create({ data: productData(body) });
          await recordProductChange(tx, String(row.code), at());
          return withId(row);
        },
      },
      update: {
        roles: [],
        body: ProductUpdate,
        errors: [400, 401, 403, 404],
        async accept(_principal, code, body) {
          if (!(await app.prisma.product.findUnique({ where: { code } }))) {
            throw new ApiProblem('NOT_FOUND', 'product not found');
          }
          return body;
        },
        async run(tx, code, body) {
          const row = await tx.product.update({ where: { code }, data: body });
          await recordProductChange(tx, String(code), at());
          return withId(row);
        },
      },
      deactivate: {
        roles: [],
        errors: [401, 403, 404],
        async accept(_principal, code) {
          if (!(await app.prisma.product.findUnique({ where: { code } }))) {
            throw new ApiProblem('NOT_FOUND', 'product not found');
          }
        },
        async run(tx, code) {
          const row = await tx.product.update({ where: { code }, data: { active: false } });
          await recordProductChange(tx, String(code), at());
          return withId(row);
        },
      },
    });

    app.post(
      '/products/import',
      {
        schema: {
          tags: ['registry'],
          body: ProductImport,
          response: { 200: ProductImportResult, 400: ImportRefused, ...errorResponses(401, 403) },
        },
        preParsing: app.requireRole([]),
      },
      async (request) => {
        const parsed = parseProductCsv(request.body.csv);
        if (!parsed.ok) {
          throw new ApiProblem(
            'VALIDATION_FAILED',
            '产品目录 CSV 有误，未导入任何产品 / the catalogue CSV has errors; nothing was imported',
            parsed.errors.map(csvIssue),
          );
        }
        const existing = new Set(
          (
            await app.prisma.product.findMany({
              where: { code: { in: parsed.products.map((p) => p.code) } },
              select: { code: true },
            })
          ).map((row) => row.code),
        );
        await repo.change({
          actor: actorOf(request.principal),
          action: 'import',
          entity: 'product',
          data: { products: parsed.products.length },
          async run(tx) {
            for (const product of parsed.products) {
              const data = productData(product);
              await tx.product.upsert({
                where: { code: product.code },
                create: data,
                update: { ...data, active: true },
              });
            }
            await recordProductChange(tx, 'import', at());
          },
          idOf: () => 'catalogue',
        });
        return { created: parsed.products.length - existing.size, updated: existing.size };
      },
    );
  };
