import { createPrismaClient } from '@liangzheng/prisma';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbe, Health, healthRoutes, serverVersion } from '../../src/health/health.routes.ts';
import { buildTestApp, type TestApp } from '../helper.ts';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  }, 60_000);
  afterAll(async () => t?.close());

  it('GET /health answers ok, the database up and the version, without a login', async () => {
    const res = await t.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(Health.parse(res.json())).toEqual({ ok: true, database: 'up', version: serverVersion });
    expect(serverVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('keeps /healthz as an alias with the same body', async () => {
    const res = await t.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, database: 'up', version: serverVersion });
  });

  it('is documented in the OpenAPI document (and the alias is not)', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toContain('/health');
    expect(Object.keys(doc.paths)).not.toContain('/healthz');
  });

  it('answers 503 with database down when the database cannot be reached', async () => {
    // Nothing listens on port 1: the real probe against an unreachable PostgreSQL.
    const unreachable = createPrismaClient('postgresql://postgres@127.0.0.1:1/none?connect_timeout=1');
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(healthRoutes({ probe: databaseProbe(unreachable, 3000), version: serverVersion }));
    try {
      for (const url of ['/health', '/healthz']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ ok: false, database: 'down', version: serverVersion });
      }
    } finally {
      await app.close();
      await unreachable.$disconnect().catch(() => undefined);
    }
  }, 20_000);
});
