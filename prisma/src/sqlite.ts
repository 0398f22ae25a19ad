import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
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
  ensurePrivateDatabaseFile(file);
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
  ensurePrivateDatabaseFile(target.file);
  const db = new Database(target.file);
  for (const pragma of sqlitePragmas) db.exec(pragma);
  return db;
}

/** Owner read and write only: the mode of the key files, for files that hold the same market's records. */
export const privateFileMode = 0o600;

/**
 * Creates an empty file with {@link privateFileMode}, unless it exists. SQLite accepts an empty file as a new
 * database (and `VACUUM INTO` as its target), and gives the `-wal` and `-shm` files it creates beside a database
 * the database file's mode, so creating the file first keeps all three private whatever the umask.
 */
export function createPrivateFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  closeSync(openSync(file, 'a', privateFileMode));
}

/**
 * The database file, created owner-only before SQLite opens it. Files left by earlier versions (0644 under the
 * usual umask) are narrowed to owner-only too, with their `-wal` and `-shm`.
 */
export function ensurePrivateDatabaseFile(file: string): void {
  if (file === ':memory:') return;
  createPrivateFile(file);
  for (const each of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(each)) chmodSync(each, privateFileMode);
  }
}
