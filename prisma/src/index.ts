export type { Prisma } from '../generated/sqlite/client.ts';
export type * from '../generated/sqlite/models.ts';
export { createPrismaClient, databaseUrlFromEnv, defaultDatabaseUrl, type PrismaClient } from './client.ts';
export {
  type DatabaseKind,
  type DatabaseTarget,
  databaseKind,
  type PgConnectionFields,
  parseDatabaseUrl,
  redact,
} from './database-url.ts';
export { applyMigrations } from './migration/deploy.ts';
export { createPrivateFile, openRawSqlite, privateFileMode, sqlitePragmas } from './sqlite.ts';
export { isRetentionRefusal, StorageError, type StorageErrorCode } from './storage-error.ts';
