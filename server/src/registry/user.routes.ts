import {
  IdParam,
  type Principal,
  type Role,
  scopeOf,
  User,
  UserCreate,
  UserUpdate,
} from '@liangzheng/domain';
import type { UserModel as UserRow } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf, userOf } from '../identity/identity.ts';
import { hashPassword } from '../identity/password.ts';
import type { RegistryRepository } from './registry.repository.ts';

const toUser = (u: UserRow) =>
  User.parse({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    marketId: u.marketId,
    stallId: u.stallId,
    issuerId: u.issuerId,
    regionPrefix: u.regionPrefix,
    active: u.active,
  });

/** Market administrators hire and manage their own market's gate staff and vendors; admins manage anyone. */
const staffRoles: readonly Role[] = ['gate_staff', 'vendor'];

function canManageUser(principal: Principal, user: { role: string; marketId: number | null }): boolean {
  if (principal.kind !== 'user') return false;
  if (principal.role === 'admin') return true;
  return (
    principal.role === 'market_admin' &&
    principal.scope.kind === 'market' &&
    user.marketId === principal.scope.marketId &&
    staffRoles.includes(user.role as Role)
  );
}

export const userRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['registry'];
    const managers = app.requireRole(['market_admin']);

    async function managedUser(principal: Principal, id: number) {
      const user = await repo.users.find(id);
      if (!user || !canManageUser(principal, user)) throw new ApiProblem('NOT_FOUND', 'user not found');
      return user;
    }

    app.get(
      '/users',
      {
        schema: { tags, response: { 200: z.array(User), ...errorResponses(401, 403) } },
        preHandler: managers,
      },
      async (request) =>
        (await repo.users.list()).filter((u) => canManageUser(request.principal, u)).map(toUser),
    );
    app.post(
      '/users',
      {
        schema: {
          tags,
          body: UserCreate,
          response: { 201: User, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preHandler: managers,
      },
      async (request, reply) => {
        const { password, ...fields } = request.body;
        if (fields.stallId !== null) {
          const stall = await repo.stalls.find(fields.stallId);
          if (!stall) throw new ApiProblem('INVALID_REFERENCE', 'stall does not exist');
          fields.marketId = stall.marketId;
        }
        if (!scopeOf(fields)) {
          throw new ApiProblem('VALIDATION_FAILED', `role ${fields.role} needs its scope field`, [
            {
              path: 'body',
              message:
                'market_admin/gate_staff: marketId; vendor: stallId; producer: issuerId; regulator: regionPrefix',
            },
          ]);
        }
        if (!canManageUser(request.principal, fields)) {
          throw new ApiProblem('FORBIDDEN', 'you may create gate staff and vendors of your own market only');
        }
        const passwordHash = await hashPassword(password);
        const user = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'user',
          data: fields,
          run: (tx) => tx.user.create({ data: { ...fields, passwordHash } }),
          idOf: (u) => u.id,
        });
        return reply.code(201).send(toUser(user));
      },
    );
    app.patch(
      '/users/:id',
      {
        schema: {
          tags,
          params: IdParam,
          body: UserUpdate,
          response: { 200: User, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: managers,
      },
      async (request) => {
        await managedUser(request.principal, request.params.id);
        const { password, ...rest } = request.body;
        const data = password ? { ...rest, passwordHash: await hashPassword(password) } : rest;
        const user = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity: 'user',
          data: { ...rest, passwordChanged: password !== undefined },
          run: async (tx) => {
            const updated = await tx.user.update({ where: { id: request.params.id }, data });
            // A new password ends every session opened with the old one.
            if (password) await tx.session.deleteMany({ where: { userId: updated.id } });
            return updated;
          },
          idOf: (u) => u.id,
        });
        return toUser(user);
      },
    );
    app.post(
      '/users/:id/deactivate',
      {
        schema: { tags, params: IdParam, response: { 200: User, ...errorResponses(401, 403, 404, 409) } },
        preHandler: managers,
      },
      async (request) => {
        await managedUser(request.principal, request.params.id);
        if (userOf(request).userId === request.params.id) {
          throw new ApiProblem('FORBIDDEN', 'you cannot deactivate yourself');
        }
        const user = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'user',
          run: async (tx) => {
            await tx.session.deleteMany({ where: { userId: request.params.id } });
            return tx.user.update({ where: { id: request.params.id }, data: { active: false } });
          },
          idOf: (u) => u.id,
        });
        return toUser(user);
      },
    );
  };
