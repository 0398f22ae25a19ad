import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../storage/db.ts';

export const Health = z.object({
  ok: z.boolean(),
  database: z.enum(['up', 'down']),
  version: z.string(),
});
export type Health = z.infer<typeof Health>;

/** Answers whether the database takes a query now; never throws. */
export type DatabaseProbe = () => Promise<'up' | 'down'>;

/** A round trip that works on SQLite and PostgreSQL; a hung pool counts as down after `timeoutMs`. */
export function databaseProbe(db: Db, timeoutMs = 2000): DatabaseProbe {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'down'>((resolve) => {
      timer = setTimeout(() => resolve('down'), timeoutMs);
    });
    const query = db.$queryRaw`SELECT 1`.then(
      () => 'up' as const,
      () => 'down' as const,
    );
    try {
      return await Promise.race([query, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

const PackageVersion = z.object({ version: z.string() });

/** The server package's version, as released. */
export const serverVersion = PackageVersion.parse(
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')),
).version;

/**
 * `/health` for monitors and the gate agent's doctor; `/healthz` stays as an alias for older agents and probes.
 * 503 while the database is down, so a load balancer takes the node out.
 */
export const healthRoutes =
  (deps: { probe: DatabaseProbe; version: string }): FastifyPluginAsyncZod =>
  async (app) => {
    const check = async (): Promise<{ status: 200 | 503; body: Health }> => {
      const database = await deps.probe();
      const ok = database === 'up';
      return { status: ok ? 200 : 503, body: { ok, database, version: deps.version } };
    };
    app.get(
      '/health',
      {
        schema: {
          tags: ['health'],
          summary: 'Liveness with the database: 200 when it answers, 503 when it does not',
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        const { status, body } = await check();
        return reply.code(status).send(body);
      },
    );
    app.get(
      '/healthz',
      { schema: { hide: true, response: { 200: Health, 503: Health } } },
      async (_request, reply) => {
        const { status, body } = await check();
        return reply.code(status).send(body);
      },
    );
  };
