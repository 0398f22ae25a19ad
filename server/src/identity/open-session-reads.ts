import type { Dialect } from '../storage/db.ts';
import { createPgSessionReads } from './session-reads.pg.ts';
import { createSqliteSessionReads } from './session-reads.sqlite.ts';
import type { SessionReads } from './session-reads.ts';

/** The session reads for the app's database: raw better-sqlite3 on its own connection, or a small raw pg pool. */
export function openSessionReads(dialect: Dialect, databaseUrl: string): SessionReads {
  return dialect === 'sqlite' ? createSqliteSessionReads(databaseUrl) : createPgSessionReads(databaseUrl);
}
