import { parseDatabaseUrl } from '@liangzheng/prisma';
import pg from 'pg';
import { type SessionReads, type SessionRow, sessionColumns, storedSession } from './session-reads.ts';

/**
 * A named statement is parsed and planned once per connection, then only bound and run. `expiresAt` is read as
 * text: Prisma keeps DateTime as UTC wall time in TIMESTAMP(3), which pg would otherwise parse in the process's
 * time zone; rawDate reads zone-less text as UTC.
 */
const findSession = {
  name: 'session-find',
  text: `SELECT ${sessionColumns}, s."expiresAt"::text AS "expiresAt"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = $1`,
};

/** Like the scan reads and the transformation store: the URL's connection and schema, in a small pool of its own. */
export function createPgSessionReads(databaseUrl: string, max = 4): SessionReads {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind !== 'postgresql') throw new Error('the PostgreSQL session reads need a postgres:// URL');
  const pool = new pg.Pool({
    ...target.connection,
    max,
    connectionTimeoutMillis: 3000,
    ...(target.schema ? { options: `-c search_path="${target.schema.replaceAll('"', '""')}"` } : {}),
  });
  // An idle client's error (a restarted server, say) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return {
    async find(sessionId) {
      const row = (await pool.query<SessionRow>({ ...findSession, values: [sessionId] })).rows[0];
      return row && storedSession(row);
    },
    async close() {
      await pool.end();
    },
  };
}
