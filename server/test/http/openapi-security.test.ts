import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';

type Operation = { security?: Record<string, string[]>[]; responses?: Record<string, unknown> };

describe('OpenAPI: every operation says which security scheme it needs', () => {
  let t: TestApp;
  let operations: Map<string, Operation>;

  beforeAll(async () => {
    t = await buildTestApp();
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['device', 'session']);
    operations = new Map();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(methods))
        operations.set(`${method.toUpperCase()} ${path}`, op);
    }
  });
  afterAll(async () => t?.close());

  const schemesOf = (route: string) => operations.get(route)?.security?.flatMap((s) => Object.keys(s));

  it('declares security on every operation', () => {
    expect(operations.size).toBeGreaterThan(40);
    const undeclared = [...operations]
      .filter(([, op]) => !Array.isArray(op.security))
      .map(([route]) => route);
    expect(undeclared).toEqual([]);
  });

  it('names the scheme each route’s guard admits: a session, a device token, either, or none for public routes', () => {
    expect({
      verify: schemesOf('GET /api/v1/verify'),
      login: schemesOf('POST /api/v1/auth/login'),
      scan: schemesOf('POST /api/v1/scans'),
      batch: schemesOf('POST /api/v1/scans/batch'),
      figures: schemesOf('GET /api/v1/figures'),
      lots: schemesOf('GET /api/v1/lots'),
      photo: schemesOf('GET /api/v1/lots/{id}/documents/{documentId}/photo'),
    }).toEqual({
      verify: [],
      login: [],
      scan: ['session', 'device'],
      batch: ['device'],
      figures: ['session'],
      lots: ['session', 'device'],
      photo: ['session'],
    });
  });

  it('asks for credentials exactly where a route refuses callers without them (login refuses bad ones)', () => {
    const badCredentials = new Set(['POST /api/v1/auth/login']);
    const mismatched = [...operations]
      .filter(([route, op]) => {
        const guarded = (op.security?.length ?? 0) > 0;
        return guarded !== (Boolean(op.responses?.['401']) && !badCredentials.has(route));
      })
      .map(([route, op]) => `${route}: ${JSON.stringify(op.security)}`);
    expect(mismatched).toEqual([]);
  });
});
