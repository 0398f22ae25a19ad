import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentConfig, parseConfig } from '@liangzheng/gate-agent/config/config';
import { applyMigrations, createPrismaClient } from '@liangzheng/prisma';
import { buildApp } from '@liangzheng/server/app';
import { type Clock, systemClock } from '@liangzheng/server/clock/clock';
import { loadConfig } from '@liangzheng/server/config/config';
import { type DemoLogins, seedDemo } from '@liangzheng/server/demo/demo';
import { ephemeralKeyring, type Keyring } from '@liangzheng/server/keyring/keyring';
import type { FastifyInstance } from 'fastify';

/**
 * The real server for the agent tests: a fresh SQLite file or PostgreSQL database, migrated, the app listening on
 * loopback with an ephemeral keyring and the demo data seeded, and a gate-agent configuration pointing at it.
 * Nothing is mocked: the tests run the real agent (or its trust side) against it.
 */

export type DatabaseKind = 'sqlite' | 'postgresql';

/** Where a test runs when it can run on either: SQLite by default, PostgreSQL when LZ_TEST_DB=postgresql. */
export const testDatabaseKind: DatabaseKind =
  process.env.LZ_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';

/** The demo's gate PC at 马王堆's east gate, whose device token the agent configuration carries. */
export const demoGateDeviceId = 'demo-gate-mawangdui-east';

export interface ServerOptions {
  /** the server's DATA_DIR, and where the agent configuration's relative paths resolve */
  dir: string;
  /** a database already migrated (and seeded, if the test needs it) */
  databaseUrl: string;
  /** defaults to real time */
  clock?: Clock;
  /** defaults to a fresh ephemeral keyring */
  keyring?: Keyring;
}

export interface RunningServer {
  app: FastifyInstance;
  prisma: ReturnType<typeof createPrismaClient>;
  /** http://127.0.0.1:<port> */
  url: string;
  /** closes the app and the database client; safe after the test closed the app itself */
  close(): Promise<void>;
}

/** The real app on an existing database, listening on an ephemeral loopback port (e.g. a server restored from a backup). */
export async function startServerOn(options: ServerOptions): Promise<RunningServer> {
  const prisma = createPrismaClient(options.databaseUrl);
  const loaded = loadConfig({ DATA_DIR: options.dir, DATABASE_URL: options.databaseUrl });
  if (!loaded.ok) throw new Error(loaded.issues.join('; '));
  const app = await buildApp({
    prisma,
    config: loaded.config,
    clock: options.clock ?? systemClock,
    keyring: options.keyring ?? ephemeralKeyring(),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    app,
    prisma,
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      await prisma.$disconnect();
    },
  };
}

export interface DemoServerOptions {
  /** the temporary directory's prefix, e.g. 'lz-agent-recall-' */
  name: string;
  /** defaults to SQLite; pass testDatabaseKind for a test that runs on both */
  database?: DatabaseKind;
  clock?: Clock;
  keyring?: Keyring;
}

export interface DemoServer extends RunningServer {
  dir: string;
  databaseUrl: string;
  demo: DemoLogins;
  /**
   * A gate agent's configuration for the demo gate device at this server: no sound, the status page and the
   * journal in `dir`, trust polled rarely (the tests push or refresh it). `overrides` replace top-level fields.
   */
  agentConfig(overrides?: Record<string, unknown>): Promise<AgentConfig>;
  /** closes the server, then drops its PostgreSQL database (a SQLite file stays in `dir`) */
  close(): Promise<void>;
}

/** A fresh database, migrated, the real app listening on loopback, and the demo data seeded. */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), options.name));
  const database = await freshDatabase(options.database ?? 'sqlite', dir);
  const running = await serveMigrated(dir, database.url, options).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const seeded = await seedDemo(running.app);
  if (!seeded) {
    await running.close();
    await database.drop();
    throw new Error('demo seed did not run');
  }
  return {
    ...running,
    dir,
    databaseUrl: database.url,
    demo: seeded,
    agentConfig: (overrides = {}) => demoAgentConfig(running, seeded, dir, overrides),
    async close() {
      await running.close();
      await database.drop();
    },
  };
}

async function serveMigrated(
  dir: string,
  databaseUrl: string,
  options: DemoServerOptions,
): Promise<RunningServer> {
  await applyMigrations(databaseUrl);
  return startServerOn({ dir, databaseUrl, clock: options.clock, keyring: options.keyring });
}

async function demoAgentConfig(
  server: RunningServer,
  demo: DemoLogins,
  dir: string,
  overrides: Record<string, unknown>,
): Promise<AgentConfig> {
  const device = await server.prisma.device.findUniqueOrThrow({ where: { id: demoGateDeviceId } });
  const parsed = parseConfig(
    {
      server: {
        url: server.url,
        deviceToken: demo.deviceToken,
        rootPublicKeys: [server.app.keyring.rootPublicKey],
      },
      gateId: device.gateId,
      statusPort: 0,
      sound: { output: 'none' },
      journalPath: 'journal.sqlite',
      sync: { trustPollMs: 600_000 },
      ...overrides,
    },
    join(dir, 'gate-agent.json'),
    dir,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.config;
}

interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A SQLite file in `dir`, or a PostgreSQL database of its own (PG_URL, else the local server) dropped by `drop`. */
async function freshDatabase(kind: DatabaseKind, dir: string): Promise<FreshDatabase> {
  if (kind === 'sqlite') return { url: `file:${join(dir, 'server.db')}`, drop: async () => {} };
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `lz_t_${randomBytes(6).toString('hex')}`;
  const admin = createPrismaClient(base);
  await admin.$executeRawUnsafe(`CREATE DATABASE ${name}`);
  await admin.$disconnect();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = createPrismaClient(base);
      await again.$executeRawUnsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.$disconnect();
    },
  };
}
