import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import { parseDatabaseUrl } from './database-url.ts';
import { StorageError } from './storage-error.ts';

/**
 * Every SQLite connection runs these: WAL lets readers work during the scan ingest's writes, NORMAL sync is
 * durable across application crashes in WAL mode, SQLite leaves foreign keys off unless asked, and a busy
 * connection waits 5 s instead of failing at once.
 */
export const sqlitePragmas = [
  'PRAGMA journal_mode=WAL',
  'PRAGMA synchronous=NORMAL',
  'PRAGMA foreign_keys=ON',
  'PRAGMA busy_timeout=5000',
] as const;

/** A Prisma adapter factory for a SQLite file whose every connection gets {@link sqlitePragmas}. */
export function sqliteAdapterFactory(file: string): SqlMigrationAwareDriverAdapterFactory {
  ensureFolder(file);
  const base = new PrismaBetterSqlite3({ url: file });
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await base.connect();
      await adapter.executeScript(`${sqlitePragmas.join(';\n')};`);
      return adapter;
    },
    connectToShadowDb: () => base.connectToShadowDb(),
  };
}

/** A raw better-sqlite3 handle on the same file, with the same PRAGMAs, for hot paths that cannot pay for the ORM. */
export function openRawSqlite(url: string): Database.Database {
  const target = parseDatabaseUrl(url);
  if (target.kind !== 'sqlite') throw new StorageError('NOT_SQLITE', 'openRawSqlite needs a file: URL');
  ensureFolder(target.file);
  const db = new Database(target.file);
  for (const pragma of sqlitePragmas) db.exec(pragma);
  return db;
}

function ensureFolder(file: string): void {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
}
