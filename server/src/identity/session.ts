import { scopeOf, type UserPrincipal } from '@liangzheng/domain';
import type { Clock } from '../clock/clock.ts';
import type { Db } from '../storage/db.ts';
import type { SessionReads } from './session-reads.ts';
import { newToken, tokenHash } from './token.ts';

export const SESSION_COOKIE = 'lz_session';
export const CSRF_COOKIE = 'lz_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type SessionLookup =
  | { ok: true; principal: UserPrincipal; csrfToken: string }
  | { ok: false; code: 'SESSION_EXPIRED' | 'UNAUTHENTICATED' };

/**
 * Sessions are opened and closed through Prisma; the lookup every request makes goes through `reads` (one raw
 * joined read, nothing cached). The lookup writes nothing: expiry is fixed at login, not slid.
 */
export function createSessions(db: Db, clock: Clock, hours: number, reads: SessionReads) {
  return {
    /** Returns the cookie token (never stored) and the CSRF token. */
    async open(userId: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
      const token = newToken();
      const csrfToken = newToken(24);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + hours * 3600_000);
      // Expired sessions are useless; each login sweeps its user's.
      await db.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
      await db.session.create({ data: { id: tokenHash(token), userId, csrfToken, expiresAt } });
      return { token, csrfToken, expiresAt };
    },
    async lookup(token: string): Promise<SessionLookup> {
      const id = tokenHash(token);
      const session = await reads.find(id);
      if (!session) return { ok: false, code: 'UNAUTHENTICATED' };
      if (session.expiresAt.getTime() <= clock.now().getTime() || !session.user.active) {
        return { ok: false, code: 'SESSION_EXPIRED' };
      }
      const scoped = scopeOf(session.user);
      if (!scoped) return { ok: false, code: 'UNAUTHENTICATED' };
      return {
        ok: true,
        csrfToken: session.csrfToken,
        principal: {
          kind: 'user',
          userId: session.userId,
          username: session.user.username,
          sessionId: id,
          ...scoped,
        },
      };
    },
    async close(sessionId: string): Promise<void> {
      await db.session.deleteMany({ where: { id: sessionId } });
    },
    async closeAllFor(userId: number): Promise<void> {
      await db.session.deleteMany({ where: { userId } });
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
