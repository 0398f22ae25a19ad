import { sqliteTime } from '../scan/scan-store.sqlite.ts';
import type { Db, Dialect } from '../storage/db.ts';

/** How often a certificate's public page was opened, and when first: 该码已被查询 N 次，首次查询于 … */
export interface LookupCount {
  count: number;
  firstAt: Date;
}

interface LookupRow {
  lookupCount: number | bigint;
  firstLookupAt: Date | string;
}

/**
 * Counts one public lookup of a stored certificate and returns the count including it. One UPDATE by primary key,
 * no log table to count over, so /v stays as fast as the certificate read; null for a code with no stored row.
 */
export async function countLookup(
  db: Db,
  dialect: Dialect,
  certificateId: string,
  now: Date,
): Promise<LookupCount | null> {
  const [at, id] = dialect === 'sqlite' ? ['?', '?'] : ['CAST($1 AS TIMESTAMP(3))', '$2'];
  const bound = dialect === 'sqlite' ? sqliteTime(now) : now.toISOString().replace('T', ' ').replace('Z', '');
  const rows = await db.$queryRawUnsafe<LookupRow[]>(
    `UPDATE "Certificate" SET "lookupCount" = "lookupCount" + 1,
       "firstLookupAt" = COALESCE("firstLookupAt", ${at})
     WHERE "id" = ${id}
     RETURNING "lookupCount", "firstLookupAt"`,
    bound,
    certificateId,
  );
  const row = rows[0];
  if (!row) return null;
  return { count: Number(row.lookupCount), firstAt: instantOf(row.firstLookupAt, dialect) };
}

/** SQLite hands back the stored text; PostgreSQL's TIMESTAMP (no zone) holds UTC wall time. */
function instantOf(value: Date | string, dialect: Dialect): Date {
  if (value instanceof Date) return value;
  return new Date(dialect === 'sqlite' ? value : `${value.replace(' ', 'T')}Z`);
}
