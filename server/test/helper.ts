import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations, createPrismaClient } from '@liangzheng/prisma';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { type Clock, type FixedClock, fixedClock } from '../src/clock/clock.ts';
import { type Config, loadConfig } from '../src/config/config.ts';
import { type DemoLogins, seedDemo } from '../src/demo/demo.ts';
import { ensureAdmin } from '../src/identity/bootstrap.ts';
import { ephemeralKeyring, type Keyring } from '../src/keyring/keyring.ts';
import type { Db } from '../src/storage/db.ts';

/** The instant every test app starts at unless told otherwise. */
export const TEST_NOW = new Date('2026-03-15T06:00:00.000Z');
export const TEST_ADMIN_PASSWORD = 'admin-test-password';

export interface TestAppOptions {
  /** defaults to a fixed clock at TEST_NOW */
  clock?: Clock;
  config?: Partial<Config>;
  /** seed the demo data set (markets, issuers, users for every role, a gate device) */
  demo?: boolean;
  /** the app logs nowhere unless given one */
  logger?: FastifyBaseLogger;
}

/** What a console client sends: the session cookie and the CSRF token echoed in its header. */
export type SessionHeaders = { cookie: string; 'x-csrf-token': string };

export interface TestApp {
  app: FastifyInstance;
  prisma: Db;
  clock: FixedClock | Clock;
  keyring: Keyring;
  config: Config;
  demo: DemoLogins | undefined;
  /** logs in through the real route; returns headers to send (cookie + CSRF) */
  login(username: string, password: string): Promise<SessionHeaders>;
  /** app.inject with the given headers merged in */
  inject(options: InjectOptions, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Where tests run: SQLite temp files by default, PostgreSQL when LZ_TEST_DB=postgresql. */
export const testDbKind = process.env.LZ_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDbKind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'lz-test-'));
    return {
      url: `file:${path.join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
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

/** Starts the real app on a fresh, migrated database. Close it in afterEach/afterAll. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await freshDatabase();
  await applyMigrations(db.url);
  const prisma = createPrismaClient(db.url);
  const loaded = loadConfig({ DATA_DIR: path.join(tmpdir(), 'lz-test-data'), DATABASE_URL: db.url });
  if (!loaded.ok) throw new Error(loaded.issues.join('; '));
  const config: Config = {
    ...loaded.config,
    rateLimitPerMinute: 100_000,
    loginRateLimitPerMinute: 100_000,
    ...options.config,
  };
  const clock = options.clock ?? fixedClock(TEST_NOW);
  const keyring = ephemeralKeyring();
  const app = await buildApp({
    prisma,
    config,
    clock,
    keyring,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.ready();
  await ensureAdmin(prisma, app.audit, TEST_ADMIN_PASSWORD);
  const demo = options.demo ? await seedDemo(app) : undefined;

  const inject: TestApp['inject'] = (opts, headers = {}) =>
    app.inject({ ...opts, headers: { ...headers, ...(opts.headers as Record<string, string> | undefined) } });

  return {
    app,
    prisma,
    clock,
    keyring,
    config,
    demo,
    inject,
    async login(username, password) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'lz_session');
      return { cookie: `lz_session=${cookie?.value}`, 'x-csrf-token': res.json().csrfToken };
    },
    async close() {
      await app.close();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

/** Puts the test app on a loopback port, for real HTTP and socket.io clients; returns its base URL. */
export async function listenOnLoopback(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
