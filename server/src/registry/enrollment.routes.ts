import { randomBytes, randomUUID } from 'node:crypto';
import {
  canSeeMarket,
  Enrolled,
  EnrollmentCode,
  EnrollmentCodeCreate,
  EnrollRequest,
  IssuedEnrollmentCode,
  StringIdParam,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { qrSvg } from '../certificate/qr.ts';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { newToken, tokenHash } from '../identity/token.ts';
import type { RegistryRepository } from './registry.repository.ts';
import { manageable } from './registry-scope.ts';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten random Crockford base-32 characters (50 bits): short enough to type at a gate PC, shown as XXXXX-XXXXX. */
function newEnrollmentCode(): string {
  const bytes = randomBytes(10);
  return [...bytes].map((byte) => crockford[byte & 31]).join('');
}
const shown = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

type CodeRow = {
  codeHash: string;
  gateId: number;
  name: string;
  expiresAt: Date;
  usedAt: Date | null;
  deviceId: string | null;
  revokedAt: Date | null;
};

function statusOf(row: CodeRow, now: Date): CodeView['status'] {
  if (row.usedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt <= now ? 'expired' : 'pending';
}
type CodeView = z.infer<typeof EnrollmentCode>;

const toView = (row: CodeRow, now: Date): CodeView => ({
  id: row.codeHash,
  gateId: row.gateId,
  name: row.name,
  expiresAt: row.expiresAt.toISOString(),
  status: statusOf(row, now),
  deviceId: row.deviceId,
});

/**
 * Enrolling a gate agent without copying a bearer token: a market administrator makes a one-time code for a gate
 * (shown as a QR on the admin screen), and `gate-agent enroll <code>` trades it for the new device's token. Codes
 * expire, work once, and can be revoked before use; the device they made is revoked like any other.
 */
export const enrollmentRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['registry'];
    const managers = app.requireRole(['market_admin']);

    async function manageableGate(principal: Parameters<typeof manageable>[0], gateId: number) {
      const gate = await repo.gates.find(gateId);
      manageable(principal, gate ? await repo.markets.find(gate.marketId) : null, 'gate');
      return gate!;
    }

    app.get(
      '/devices/enrollment-codes',
      {
        schema: { tags, response: { 200: z.array(EnrollmentCode), ...errorResponses(401, 403) } },
        preParsing: managers,
      },
      async (request) => {
        const markets = (await repo.markets.list()).filter((m) => canSeeMarket(request.principal, m));
        const gates = await repo.gates.list(markets.map((m) => m.id));
        const rows = await app.prisma.enrollmentCode.findMany({
          where: { gateId: { in: gates.map((g) => g.id) } },
          orderBy: { createdAt: 'desc' },
          take: 200,
        });
        return rows.map((row) => toView(row, repo.now()));
      },
    );

    app.post(
      '/devices/enrollment-codes',
      {
        schema: {
          tags,
          body: EnrollmentCodeCreate,
          response: { 201: IssuedEnrollmentCode, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: managers,
      },
      async (request, reply) => {
        const { gateId, name, validMinutes } = request.body;
        const gate = await manageableGate(request.principal, gateId);
        if (!gate.active) throw new ApiProblem('INACTIVE', 'the gate is deactivated');
        const code = newEnrollmentCode();
        const now = repo.now();
        const row = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'enrollment_code',
          data: { gateId, name, validMinutes },
          run: (tx) =>
            tx.enrollmentCode.create({
              data: {
                codeHash: tokenHash(code),
                gateId,
                name,
                expiresAt: new Date(now.getTime() + validMinutes * 60_000),
                createdBy: actorOf(request.principal),
                createdAt: now,
              },
            }),
          idOf: (created) => created.codeHash,
        });
        return reply
          .code(201)
          .send({ ...toView(row, now), code: shown(code), qrSvg: await qrSvg(shown(code)) });
      },
    );

    app.post(
      '/devices/enrollment-codes/:id/revoke',
      {
        schema: {
          tags,
          params: StringIdParam,
          response: { 200: EnrollmentCode, ...errorResponses(401, 403, 404, 409) },
        },
        preParsing: managers,
      },
      async (request) => {
        const found = await app.prisma.enrollmentCode.findUnique({ where: { codeHash: request.params.id } });
        if (!found) throw new ApiProblem('NOT_FOUND', 'enrollment code not found');
        await manageableGate(request.principal, found.gateId);
        if (found.usedAt) {
          throw new ApiProblem('ENROLLMENT_CODE_USED', 'the code was used: revoke the device it enrolled');
        }
        const row = await repo.change({
          actor: actorOf(request.principal),
          action: 'revoke',
          entity: 'enrollment_code',
          run: (tx) =>
            tx.enrollmentCode.update({
              where: { codeHash: found.codeHash },
              data: { revokedAt: repo.now() },
            }),
          idOf: (updated) => updated.codeHash,
        });
        return toView(row, repo.now());
      },
    );

    app.post(
      '/devices/enroll',
      {
        schema: {
          tags,
          body: EnrollRequest,
          response: { 201: Enrolled, ...errorResponses(400, 409, 410, 429) },
        },
        // Slows guessing as login does: the same tries a minute from one address, across all codes.
        config: {
          rateLimit: {
            max: app.config.loginRateLimitPerMinute,
            timeWindow: 60_000,
            keyGenerator: (r) => `enroll:${r.ip}`,
          },
        },
      },
      async (request, reply) => {
        const codeHash = tokenHash(request.body.code);
        const found = await app.prisma.enrollmentCode.findUnique({ where: { codeHash } });
        const now = repo.now();
        if (!found || found.revokedAt) {
          throw new ApiProblem('ENROLLMENT_CODE_INVALID', '登记码无效 / no such enrollment code');
        }
        if (found.usedAt)
          throw new ApiProblem('ENROLLMENT_CODE_USED', '登记码已使用 / the code was already used');
        if (found.expiresAt <= now) {
          throw new ApiProblem(
            'ENROLLMENT_CODE_EXPIRED',
            '登记码已过期 / the code has expired; ask for a new one',
          );
        }
        const token = newToken();
        const deviceId = randomUUID();
        await repo.change({
          actor: `enrollment:${codeHash.slice(0, 12)}`,
          action: 'enroll',
          entity: 'device',
          data: { gateId: found.gateId, name: found.name },
          async run(tx) {
            // The code is claimed first: of two agents racing with one code, one claims it and the other is refused.
            const claimed = await tx.enrollmentCode.updateMany({
              where: { codeHash, usedAt: null, revokedAt: null },
              data: { usedAt: now, deviceId },
            });
            if (claimed.count !== 1) {
              throw new ApiProblem('ENROLLMENT_CODE_USED', '登记码已使用 / the code was already used');
            }
            return tx.device.create({
              data: { id: deviceId, gateId: found.gateId, name: found.name, tokenHash: tokenHash(token) },
            });
          },
          idOf: (device) => device.id,
        });
        return reply
          .code(201)
          .send({ deviceId, gateId: found.gateId, token, rootPublicKey: app.keyring.rootPublicKey });
      },
    );
  };
