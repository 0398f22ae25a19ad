import { rawDate } from '../storage/raw-date.ts';

/** A session with the fields of its user that decide the principal, as stored now. */
export interface StoredSession {
  userId: number;
  csrfToken: string;
  expiresAt: Date;
  user: {
    username: string;
    role: string;
    marketId: number | null;
    stallId: number | null;
    issuerId: number | null;
    regionPrefix: string | null;
    active: boolean;
  };
}

/**
 * The per-request session read, on a raw prepared statement: through Prisma it cost 4–6 ms of CPU per request,
 * the largest part of a repack (docs/benchmarks.md). It is read from the database on every request, never cached,
 * so a logout, a deactivation or a role change holds from the next request on.
 */
export interface SessionReads {
  find(sessionId: string): Promise<StoredSession | undefined>;
  close(): Promise<void>;
}

/** The columns of one joined read of a session and its user, named as the row below. */
export const sessionColumns = `s."userId", s."csrfToken", u."username", u."role", u."marketId", u."stallId",
  u."issuerId", u."regionPrefix", u."active"`;

export interface SessionRow {
  userId: number;
  csrfToken: string;
  expiresAt: unknown;
  username: string;
  role: string;
  marketId: number | null;
  stallId: number | null;
  issuerId: number | null;
  regionPrefix: string | null;
  /** SQLite keeps a Boolean as 0 or 1 */
  active: boolean | number;
}

export const storedSession = (row: SessionRow): StoredSession => ({
  userId: row.userId,
  csrfToken: row.csrfToken,
  expiresAt: rawDate(row.expiresAt),
  user: {
    username: row.username,
    role: row.role,
    marketId: row.marketId,
    stallId: row.stallId,
    issuerId: row.issuerId,
    regionPrefix: row.regionPrefix,
    active: Boolean(row.active),
  },
});
