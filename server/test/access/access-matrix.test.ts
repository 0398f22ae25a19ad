import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceFields } from '../../src/registry/registry-scope.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import {
  type Actor,
  actors,
  actorUsers,
  type MatrixContext,
  type MatrixRow,
  type Outcome,
} from './access-table.ts';
import { catalogueRoutes, enrollmentRoutes } from './catalogue-routes.ts';
import { coreRoutes } from './core-routes.ts';
import { custodyRoutes } from './custody-routes.ts';
import { flowRoutes } from './flow-routes.ts';
import { labelRoutes } from './label-routes.ts';
import { oversightRoutes } from './oversight-routes.ts';
import { purchaseLedgerRoutes } from './purchase-ledger-routes.ts';
import { rapidTestRoutes } from './rapid-test-routes.ts';
import { referenceRoutes } from './reference-routes.ts';
import { regulatorRoutes } from './regulator-routes.ts';

/** Every table of routes walked against every actor; other areas add their table here. */
const tables: MatrixRow[][] = [
  coreRoutes,
  referenceRoutes,
  flowRoutes,
  regulatorRoutes,
  custodyRoutes,
  labelRoutes,
  rapidTestRoutes,
  oversightRoutes,
  catalogueRoutes,
  enrollmentRoutes,
  purchaseLedgerRoutes,
];
const rows = tables.flat();
/** OpenAPI tags whose routes must all appear in the tables. */
const coveredTags = [
  'identity',
  'registry',
  'certificate',
  'scans',
  'lots',
  'violations',
  'trust',
  'verify',
  'trace',
  'custody',
  'rapid-tests',
  'rules',
  'credit',
  'inspections',
  'purchase-ledger',
];

let t: TestApp;
let ctx: MatrixContext;
const sessions = new Map<Actor, Record<string, string>>();

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  const demo = t.demo!;
  const gateUser = await t.prisma.user.findUniqueOrThrow({ where: { username: 'mawangdui_gate' } });
  const zhang = await t.prisma.vendor.findFirstOrThrow({ where: { issuerId: demo.issuers.repacker } });
  let counter = 0;
  const login = async (actor: Actor): Promise<Record<string, string>> => {
    if (actor === 'public') return {};
    if (actor === 'device') return { authorization: `Bearer ${demo.deviceToken}` };
    const username = actorUsers[actor];
    return t.login(username, actor === 'admin' ? TEST_ADMIN_PASSWORD : demo.password);
  };
  ctx = {
    t,
    ids: {
      wholesale: demo.markets.wholesale,
      supermarket: demo.markets.supermarket,
      eastGate: demo.gates.wholesaleEast,
      stallA01: demo.stalls.a01,
      zhang: zhang.id,
      coop: demo.issuers.coop,
      eggs: demo.issuers.eggs,
      repacker: demo.issuers.repacker,
      coopCertificate: demo.certificateIds[0]!,
      pepperCertificate: demo.certificateIds[1]!,
      gateUser: gateUser.id,
      device: demo.deviceId,
    },
    next: () => ++counter,
    login,
  };
  for (const actor of actors) sessions.set(actor, await login(actor));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

function outcomeOf(status: number, sees: boolean | undefined): Outcome | `status ${number}` {
  if (status >= 200 && status < 300) return sees === false ? 'without' : 'ok';
  if (status === 404) return 'hidden';
  if (status === 401 || status === 403) return 'denied';
  return `status ${status}`;
}

describe('role × scope matrix', () => {
  it('walks every route of the covered areas', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const documented: string[] = [];
    for (const [path, methods] of Object.entries(
      doc.paths as Record<string, Record<string, { tags?: string[] }>>,
    )) {
      for (const [method, op] of Object.entries(methods)) {
        if (op.tags?.some((tag) => coveredTags.includes(tag)))
          documented.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((r) => !rows.some((row) => row.route === r))).toEqual([]);
  });

  it('walks every reference a registry write can name', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    type Operation = {
      tags?: string[];
      requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
    };
    const named: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.tags?.includes('registry') || !op.requestBody) continue;
        const fields = Object.keys(op.requestBody.content['application/json']?.schema.properties ?? {});
        for (const field of fields) named.push(`${method.toUpperCase()} ${path} ${field}`);
      }
    }
    // A field named like a reference is one, unless it names something outside the registry.
    const notReferences = ['subjectId'];
    const looksLikeReference = named.filter(
      (n) => /(Id|Code|Prefix)$/.test(n) && !notReferences.includes(n.split(' ')[2]!),
    );
    expect(
      looksLikeReference.filter((n) => !(referenceFields as readonly string[]).includes(n.split(' ')[2]!)),
    ).toEqual([]);
    const walked = new Set(rows.map((row) => `${row.route} ${row.reference}`));
    expect(looksLikeReference.length).toBeGreaterThan(10);
    expect(looksLikeReference.filter((n) => !walked.has(n))).toEqual([]);
  });

  for (const row of rows) {
    it(row.reference ? `${row.route} naming ${row.reference}` : row.route, async () => {
      const seen: Record<string, string> = {};
      for (const actor of actors) {
        const prepared = (await row.prepare?.(ctx, actor)) ?? {};
        const headers = (row.headers ? row.headers(ctx, actor, prepared) : undefined) ?? sessions.get(actor)!;
        const [method] = row.route.split(' ');
        const res = await t.inject(
          {
            method: method as 'GET',
            url: row.url(ctx, prepared),
            ...(row.body ? { payload: row.body(ctx, prepared) as object } : {}),
          },
          headers,
        );
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        const sees = ok && row.sees ? row.sees(res.json(), ctx) : undefined;
        seen[actor] = outcomeOf(res.statusCode, sees);
        if (res.statusCode >= 500 || seen[actor]!.startsWith('status'))
          seen[actor] += ` ${res.body.slice(0, 120)}`;
      }
      expect(seen).toEqual(row.expect);
    });
  }
});
