import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';
import { coreRoutes } from './core-routes.ts';
import { flowRoutes } from './flow-routes.ts';
import { regulatorRoutes } from './regulator-routes.ts';

/**
 * A caller without credentials learns nothing about a route's schema: every route that is not public answers 401
 * before its body, query or parameters are parsed, so a malformed request is refused the same as a well-formed one.
 * Public routes are the matrix rows that admit `public`, and routes that never answer 401.
 */
const publicRoutes = new Set(
  [...coreRoutes, ...flowRoutes, ...regulatorRoutes]
    .filter((row) => row.expect.public !== 'denied')
    .map((row) => row.route),
);

type Operation = { method: string; path: string };

let t: TestApp;
let operations: Operation[];

beforeAll(async () => {
  t = await buildTestApp();
  const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  operations = [];
  for (const [path, methods] of Object.entries(
    doc.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>,
  )) {
    for (const [method, op] of Object.entries(methods)) {
      const route = `${method.toUpperCase()} ${path}`;
      if (op.responses?.['401'] && !publicRoutes.has(route))
        operations.push({ method: method.toUpperCase(), path });
    }
  }
});

afterAll(async () => {
  await t?.close();
});

/** Every path parameter malformed, and a query field no route knows. */
const malformedUrl = (path: string) => `${path.replace(/\{[^}]+\}/g, 'not%20an%20id')}?unknownField=1`;

describe('authentication comes before parsing', () => {
  it('finds the routes that need a login or a device', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations).toContainEqual({ method: 'PATCH', path: '/api/v1/stalls/{id}' });
  });

  it('a request without credentials and a malformed body, query and parameters is 401 on every such route', async () => {
    const answers: Record<string, string> = {};
    for (const { method, path } of operations) {
      const res = await t.inject({
        method: method as 'POST',
        url: malformedUrl(path),
        ...(method === 'GET' ? {} : { payload: { unknownField: ['not', 'the', 'schema'] } }),
      });
      answers[`${method} ${path}`] = `${res.statusCode} ${res.json().error?.code}`;
    }
    const expected = Object.fromEntries(Object.keys(answers).map((route) => [route, '401 UNAUTHENTICATED']));
    expect(answers).toEqual(expected);
  });

  it('a body the server cannot parse at all is 401, not 400 or 415, without credentials', async () => {
    const broken = await t.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: '{"gateId": ',
      headers: { 'content-type': 'application/json' },
    });
    const unsupported = await t.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: 'gateId=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([broken.statusCode, broken.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect([unsupported.statusCode, unsupported.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
