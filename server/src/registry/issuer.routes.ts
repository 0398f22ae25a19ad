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
import type { Tx } from '../storage/db.ts';
import { addEntityRoutes } from './entity-routes.ts';
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

    /** Issuers are part of the trust data: every change is a trust change the gates pick up. */
    const trustChange = (tx: Tx, issuerId: number, at: Date) =>
      tx.trustChange.create({ data: { kind: 'issuer', ref: String(issuerId), at } });

    addEntityRoutes(app, repo, {
      path: '/issuers',
      entity: 'issuer',
      view: Issuer,
      toView: (i) => Issuer.parse(i),
      list: {
        roles: ['producer', 'regulator'],
        errors: [401, 403],
        rows: async (principal) => (await repo.issuers.list()).filter((i) => canSeeIssuer(principal, i)),
      },
      read: { roles: ['producer', 'regulator'], errors: [401, 403, 404], row: visibleIssuer },
      create: {
        roles: [],
        body: IssuerCreate,
        errors: [400, 401, 403, 409],
        async accept(_principal, input) {
          const body = { ...input };
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
          return body;
        },
        async run(tx, body) {
          const now = repo.now();
          const created = await tx.issuer.create({ data: body });
          await trustChange(tx, created.id, now);
          await rotateIssuerKey(tx, app.keyring, created.id, now);
          return created;
        },
      },
      update: {
        roles: ['producer'],
        body: IssuerUpdate,
        errors: [400, 401, 403, 404],
        async accept(principal, id, body) {
          await visibleIssuer(principal, id);
          // Producers keep their own name and contact current; credit grades are the platform's judgement.
          if (body.creditGrade && !(principal.kind === 'user' && principal.role === 'admin')) {
            throw new ApiProblem('FORBIDDEN', 'only administrators set credit grades');
          }
          // Even an administrator sets a grade only with a reason, into the history (docs/credit.md).
          if (body.creditGrade) {
            throw new ApiProblem(
              'CREDIT_OVERRIDE_REASON_REQUIRED',
              '信用等级须通过 POST /issuers/:id/credit/override 并填写理由调整 / set a grade through the override, with a reason',
            );
          }
          return body;
        },
        async run(tx, id, body) {
          const updated = await tx.issuer.update({ where: { id }, data: body });
          await trustChange(tx, updated.id, repo.now());
          return updated;
        },
      },
      deactivate: {
        roles: [],
        errors: [401, 403, 404],
        async run(tx, id) {
          const updated = await tx.issuer.update({ where: { id }, data: { active: false } });
          await trustChange(tx, updated.id, repo.now());
          return updated;
        },
      },
    });

    app.get(
      '/issuers/:id/keys',
      {
        schema: {
          tags,
          params: IdParam,
          response: { 200: z.array(IssuerKey), ...errorResponses(401, 403, 404) },
        },
        preParsing: app.requireRole(['producer', 'regulator']),
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
        preParsing: app.requireRole(['producer']),
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
        preParsing: adminOnly,
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
