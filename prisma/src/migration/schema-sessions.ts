import { readFileSync } from 'node:fs';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { type DatabaseKind, type DatabaseTarget, parseDatabaseUrl } from '../database-url.ts';
import {
  createDatabase,
  dropDatabase,
  pgMigrationAdapterFactory,
  scratchDatabaseName,
} from '../postgresql.ts';
import { schemaPaths, toPostgresqlSchema } from '../schema-files.ts';
import { sqliteAdapterFactory } from '../sqlite.ts';
import { type SchemaEngine, type SchemaFile, withSchemaEngine } from './engine.ts';

/** The schema as it stands, for one database kind: the PostgreSQL copy is rendered afresh, never read stale. */
export function currentSchema(kind: DatabaseKind): SchemaFile {
  const sqlite = readFileSync(schemaPaths.sqlite, 'utf8');
  return { path: schemaPaths[kind], content: kind === 'sqlite' ? sqlite : toPostgresqlSchema(sqlite) };
}

export function migrationAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  return target.kind === 'sqlite'
    ? sqliteAdapterFactory(target.file)
    : pgMigrationAdapterFactory(target.connection, target.schema);
}

/** An engine over the database at `url`. */
export function withEngineOn<T>(url: string, use: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const target = parseDatabaseUrl(url);
  return withSchemaEngine(currentSchema(target.kind), migrationAdapterFactory(target), use);
}

/**
 * An engine over a throwaway database: in memory for SQLite, a scratch database on the server behind
 * `pgServerUrl` for PostgreSQL (created here, dropped after), since PostgreSQL diffs need a live server.
 */
export async function withScratchEngine<T>(
  kind: DatabaseKind,
  pgServerUrl: string,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  if (kind === 'sqlite') return withSchemaEngine(currentSchema(kind), sqliteAdapterFactory(':memory:'), use);
  const server = parseDatabaseUrl(pgServerUrl);
  if (server.kind !== 'postgresql') throw new TypeError('pgServerUrl must be a postgres:// URL');
  const scratch = scratchDatabaseName('lz_migrate');
  await createDatabase(server.connection, scratch);
  try {
    const factory = pgMigrationAdapterFactory({ ...server.connection, database: scratch }, undefined);
    return await withSchemaEngine(currentSchema(kind), factory, use);
  } finally {
    await dropDatabase(server.connection, scratch);
  }
}
