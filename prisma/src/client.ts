import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresqlPrismaClient } from '../generated/postgresql/client.ts';
import { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client.ts';
import { parseDatabaseUrl } from './database-url.ts';
import { pgPool } from './postgresql.ts';
import { repoRoot } from './schema-files.ts';
import { sqliteAdapterFactory } from './sqlite.ts';

/**
 * The one client type server code uses for both databases. The two generated clients come from the same models
 * and differ only in provider extras (PostgreSQL adds e.g. `mode: 'insensitive'`), so the SQLite client's type is
 * the API both support; the PostgreSQL client is cast to it in {@link createPrismaClient}.
 */
export type PrismaClient = SqlitePrismaClient;

/** `file:<repo>/data/liangzheng.db`, creating data/ so a first start needs no setup. */
export function defaultDatabaseUrl(): string {
  const dataDir = path.join(repoRoot, 'data');
  mkdirSync(dataDir, { recursive: true });
  return `file:${path.join(dataDir, 'liangzheng.db')}`;
}

export function databaseUrlFromEnv(): string {
  return process.env.DATABASE_URL || defaultDatabaseUrl();
}

/**
 * A client for the database at `databaseUrl` (default: DATABASE_URL, else the repo's data/liangzheng.db).
 * SQLite connections get the PRAGMAs in sqlite.ts; PostgreSQL gets a pg pool built from the URL's parts.
 */
export function createPrismaClient(databaseUrl: string = databaseUrlFromEnv()): PrismaClient {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'sqlite') return new SqlitePrismaClient({ adapter: sqliteAdapterFactory(target.file) });
  const adapter = new PrismaPg(pgPool(target.connection), {
    schema: target.schema,
    disposeExternalPool: true,
  });
  return new PostgresqlPrismaClient({ adapter }) as unknown as PrismaClient;
}
