import { openRawSqlite } from '@liangzheng/prisma';
import { type SessionReads, type SessionRow, sessionColumns, storedSession } from './session-reads.ts';

/**
 * Reads sessions on a connection of its own. In WAL mode a read sees every committed write, so a logout or a
 * user change that Prisma has committed is seen by the next lookup.
 */
export function createSqliteSessionReads(databaseUrl: string): SessionReads {
  const db = openRawSqlite(databaseUrl);
  const find = db.prepare(
    `SELECT ${sessionColumns}, s."expiresAt" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ?`,
  );
  return {
    async find(sessionId) {
      const row = find.get(sessionId) as SessionRow | undefined;
      return row && storedSession(row);
    },
    async close() {
      db.close();
    },
  };
}
