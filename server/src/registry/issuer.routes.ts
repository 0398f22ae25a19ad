import {
  canIssueFor,
  canSeeIssuer,
  IdParam,
  Issuer,
  IssuerCreate,
  IssuerKey,
  IssuerUpdate,
  type Principal,
  StringIdParam,
} from '@liangzheng/domain';
import { parseCreditCode } from '@liangzheng/domain/subject/credit-code';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { rotateIssuerKey } from './issuer-key.service.ts';
import type { RegistryRepository } from './registry.repository.ts';

type KeyRow = {
  id: string;
  keyId: string;
  issuerId: number;
  publicKey: string;
  validFrom: Date;
  validTo: Date | null;
  rotateAt: Date | null;
  status: string;
};
const toKey = (k: KeyRow) =>
  IssuerKey.parse({
    id: k.id,
    keyId: k.keyId,
    issuerId: k.issuerId,
    publicKey: k.publicKey,
    status: k.status,
    validFrom: k.validFrom.toISOString(),
    validTo: k.validTo?.toISOString() ?? null,
    rotateAt: k.rotateAt?.toISOString() ?? null,
  });

export const issuerRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['registry'];
    const adminOnly = app.requireRole([]);

    async function visibleIssuer(principal: Principal, id: number) {
      const issuer = await repo.issuers.find(id);
      if (!issuer || !canSeeIssuer(principal, issuer))
        throw new ApiProblem('NOT_FOUND', 'producer not found');
      return issuer;
    }

    app.get(
      '/issuers',
      {
        schema: { tags, response: { 200: z.array(Issuer), ...errorResponses(401, 403) } },
        preHandler: app.requireRole(['producer', 'regulator']),
      },
      async (request) =>
        (await repo.issuers.list())
          .filter((i) => canSeeIssuer(request.principal, i))
          .map((i) => Issuer.parse(i)),
    );
    app.get(
      '/issuers/:id',
      {
        schema: { tags, params: IdParam, response: { 200: Issuer, ...errorResponses(401, 403, 404) } },
        preHandler: app.requireRole(['producer', 'regulator']),
      },
      async (request) => Issuer.parse(await visibleIssuer(request.principal, request.params.id)),
    );
    app.post(
      '/issuers',
      {
        schema: {
          tags,
          body: IssuerCreate,
          response: { 201: Issuer, ...errorResponses(400, 401, 403, 409) },
        },
        preHandler: adminOnly,
      },
      async (request, reply) => {
        const body = { ...request.body };
        if (body.subjectIdKind === 'uscc') {
          const parsed = parseCreditCode(body.subjectId);
          if (!parsed.ok) {
            throw new ApiProblem('INVALID_USCC', `统一社会信用代码 is invalid (${parsed.error.code})`, [
              { path: 'body.subjectId', message: parsed.error.code },
            ]);
          }
          body.subjectId = parsed.creditCode.code;
        }
        if (!(await repo.regions.find(body.regionCode)))
          throw new ApiProblem('INVALID_REFERENCE', 'unknown region');
        const now = repo.now();
        const issuer = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'issuer',
          data: body,
          run: async (tx) => {
            const created = await tx.issuer.create({ data: body });
            await tx.trustChange.create({ data: { kind: 'issuer', ref: String(created.id), at: now } });
            await rotateIssuerKey(tx, app.keyring, created.id, now);
            return created;
          },
          idOf: (i) => i.id,
        });
        return reply.code(201).send(Issuer.parse(issuer));
      },
    );
    app.patch(
      '/issuers/:id',
      {
        schema: {
          tags,
          params: IdParam,
          body: IssuerUpdate,
          response: { 200: Issuer, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: app.requireRole(['producer']),
      },
      async (request) => {
        await visibleIssuer(request.principal, request.params.id);
        const p = request.principal;
        // Producers keep their own name and contact current; credit grades are the platform's judgement.
        if (request.body.creditGrade && !(p.kind === 'user' && p.role === 'admin')) {
          throw new ApiProblem('FORBIDDEN', 'only administrators set credit grades');
        }
        const now = repo.now();
        const issuer = await repo.change({
          actor: actorOf(p),
          action: 'update',
          entity: 'issuer',
          data: request.body,
          run: async (tx) => {
            const updated = await tx.issuer.update({ where: { id: request.params.id }, data: request.body });
            await tx.trustChange.create({ data: { kind: 'issuer', ref: String(updated.id), at: now } });
            return updated;
          },
          idOf: (i) => i.id,
        });
        return Issuer.parse(issuer);
      },
    );
    app.post(
      '/issuers/:id/deactivate',
      {
        schema: { tags, params: IdParam, response: { 200: Issuer, ...errorResponses(401, 403, 404) } },
        preHandler: adminOnly,
      },
      async (request) => {
        const now = repo.now();
        const issuer = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'issuer',
          run: async (tx) => {
            const updated = await tx.issuer.update({
              where: { id: request.params.id },
              data: { active: false },
            });
            await tx.trustChange.create({ data: { kind: 'issuer', ref: String(updated.id), at: now } });
            return updated;
          },
          idOf: (i) => i.id,
        });
        return Issuer.parse(issuer);
      },
    );

    app.get(
      '/issuers/:id/keys',
      {
        schema: {
          tags,
          params: IdParam,
          response: { 200: z.array(IssuerKey), ...errorResponses(401, 403, 404) },
        },
        preHandler: app.requireRole(['producer', 'regulator']),
      },
      async (request) => {
        await visibleIssuer(request.principal, request.params.id);
        return (await repo.issuerKeys.list(request.params.id)).map(toKey);
      },
    );
    app.post(
      '/issuers/:id/keys',
      {
        schema: { tags, params: IdParam, response: { 201: IssuerKey, ...errorResponses(401, 403, 404) } },
        preHandler: app.requireRole(['producer']),
      },
      async (request, reply) => {
        await visibleIssuer(request.principal, request.params.id);
        if (!canIssueFor(request.principal, request.params.id))
          throw new ApiProblem('FORBIDDEN', 'not your key');
        const key = await repo.change({
          actor: actorOf(request.principal),
          action: 'rotate',
          entity: 'issuer_key',
          run: (tx) => rotateIssuerKey(tx, app.keyring, request.params.id, repo.now()),
          idOf: (k) => k.id,
        });
        return reply.code(201).send(toKey(key));
      },
    );
    app.post(
      '/issuer-keys/:id/compromise',
      {
        schema: {
          tags,
          params: StringIdParam,
          response: { 200: IssuerKey, ...errorResponses(401, 403, 404) },
        },
        preHandler: adminOnly,
      },
      async (request) => {
        const now = repo.now();
        const key = await repo.change({
          actor: actorOf(request.principal),
          action: 'compromise',
          entity: 'issuer_key',
          run: async (tx) => {
            const updated = await tx.issuerKey.update({
              where: { id: request.params.id },
              data: { status: 'compromised', validTo: now },
            });
            await tx.trustChange.create({ data: { kind: 'key', ref: updated.keyId, at: now } });
            return updated;
          },
          idOf: (k) => k.id,
        });
        return toKey(key);
      },
    );
  };
