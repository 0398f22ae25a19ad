import { type Principal, type Role, scopeOf, User, UserCreate, UserUpdate } from '@liangzheng/domain';
import type { UserModel as UserRow } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem } from '../http/error-code.ts';
import { hashPassword } from '../identity/password.ts';
import { addEntityRoutes } from './entity-routes.ts';
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
    async function managedUser(principal: Principal, id: number) {
      const user = await repo.users.find(id);
      if (!user || !canManageUser(principal, user)) throw new ApiProblem('NOT_FOUND', 'user not found');
      return user;
    }

    addEntityRoutes(app, repo, {
      path: '/users',
      entity: 'user',
      view: User,
      toView: toUser,
      list: {
        roles: ['market_admin'],
        errors: [401, 403],
        rows: async (principal) => (await repo.users.list()).filter((u) => canManageUser(principal, u)),
      },
      create: {
        roles: ['market_admin'],
        body: UserCreate,
        errors: [400, 401, 403, 404, 409],
        async accept(principal, { password, ...fields }) {
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
          if (!canManageUser(principal, fields)) {
            throw new ApiProblem(
              'FORBIDDEN',
              'you may create gate staff and vendors of your own market only',
            );
          }
          return { fields, passwordHash: await hashPassword(password) };
        },
        run: (tx, { fields, passwordHash }) => tx.user.create({ data: { ...fields, passwordHash } }),
        // the audit log never holds a password, not even hashed
        audit: ({ fields }) => fields,
      },
      update: {
        roles: ['market_admin'],
        body: UserUpdate,
        errors: [400, 401, 403, 404],
        async accept(principal, id, { password, ...rest }) {
          await managedUser(principal, id);
          return { rest, passwordHash: password ? await hashPassword(password) : undefined };
        },
        async run(tx, id, { rest, passwordHash }) {
          const updated = await tx.user.update({
            where: { id },
            data: passwordHash ? { ...rest, passwordHash } : rest,
          });
          // A new password ends every session opened with the old one.
          if (passwordHash) await tx.session.deleteMany({ where: { userId: updated.id } });
          return updated;
        },
        audit: ({ rest, passwordHash }) => ({ ...rest, passwordChanged: passwordHash !== undefined }),
      },
      deactivate: {
        roles: ['market_admin'],
        errors: [401, 403, 404, 409],
        async accept(principal, id) {
          await managedUser(principal, id);
          if (principal.kind === 'user' && principal.userId === id) {
            throw new ApiProblem('FORBIDDEN', 'you cannot deactivate yourself');
          }
        },
        async run(tx, id) {
          await tx.session.deleteMany({ where: { userId: id } });
          return tx.user.update({ where: { id }, data: { active: false } });
        },
      },
    });
  };
