import { Role, roles, SingleLineText, scopeOf } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf, userOf } from './identity.ts';
import { checkPassword } from './password.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './session.ts';

const ScopeBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('market'), marketId: z.number() }),
  z.object({ kind: z.literal('stall'), marketId: z.number(), stallId: z.number() }),
  z.object({ kind: z.literal('issuer'), issuerId: z.number() }),
  z.object({ kind: z.literal('region'), prefix: z.string() }),
]);

export const Me = z.object({ userId: z.number(), username: z.string(), role: Role, scope: ScopeBody });

const Login = z.strictObject({
  username: SingleLineText.min(1).max(64),
  password: SingleLineText.min(1).max(256),
});

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const secure = app.config.publicUrl.startsWith('https:');

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['identity'],
        body: Login,
        response: { 200: z.object({ user: Me, csrfToken: z.string() }), ...errorResponses(400, 401, 429) },
      },
      // Slows password guessing from one address regardless of which account is tried.
      config: {
        rateLimit: {
          max: app.config.loginRateLimitPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r) => `login:${r.ip}`,
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await app.prisma.user.findUnique({ where: { username } });
      const ok = await checkPassword(user?.active ? user.passwordHash : undefined, password);
      const scoped = user && scopeOf(user);
      if (!ok || !user || !scoped) throw new ApiProblem('BAD_CREDENTIALS', 'wrong user name or password');
      const session = await app.sessions.open(user.id);
      await app.prisma.$transaction((tx) =>
        app.audit.append(tx, {
          actor: `user:${username}`,
          action: 'login',
          entity: 'user',
          entityId: String(user.id),
        }),
      );
      const cookie = { path: '/', sameSite: 'strict' as const, secure, expires: session.expiresAt };
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, httpOnly: true });
      // Readable by the console's script, which echoes it in the x-csrf-token header (double submit).
      reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookie, httpOnly: false });
      return { user: { userId: user.id, username: user.username, ...scoped }, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { tags: ['identity'], response: { 204: z.null(), ...errorResponses(401, 403) } },
      preParsing: app.requireRole(roles),
    },
    async (request, reply) => {
      const user = userOf(request);
      await app.sessions.close(user.sessionId);
      await app.prisma.$transaction((tx) =>
        app.audit.append(tx, {
          actor: actorOf(user),
          action: 'logout',
          entity: 'user',
          entityId: String(user.userId),
        }),
      );
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: { tags: ['identity'], response: { 200: Me, ...errorResponses(401) } },
      preParsing: app.requireRole(roles),
    },
    async (request) => {
      const { userId, username, role, scope } = userOf(request);
      return { userId, username, role, scope };
    },
  );
};
