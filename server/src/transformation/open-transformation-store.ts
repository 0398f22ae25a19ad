import { openRawSqlite } from '@liangzheng/prisma';
import type { Dialect } from '../storage/db.ts';
import { createPgTransformationStore } from './transformation-store.pg.ts';
import { createSqliteTransformationStore } from './transformation-store.sqlite.ts';
import type { TransformationStore } from './transformation-store.ts';

/** The transformation store for the app's database: raw better-sqlite3 on its own connection, or raw pg. */
export function openTransformationStore(dialect: Dialect, databaseUrl: string): TransformationStore {
  return dialect === 'sqlite'
    ? createSqliteTransformationStore(openRawSqlite(databaseUrl))
    : createPgTransformationStore(databaseUrl);
}
