import {
  canSeeStall,
  defaultCustodyRules,
  maxTransformationBodyBytes,
  StallParam,
  TransformationRequest,
  TransformationView,
  UnverifiedSourcePhotoParams,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { visibleStall } from '../custody/custody.routes.ts';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { sendPhoto } from '../http/photo-reply.ts';
import { actorOf } from '../identity/identity.ts';
import { serverPhotoBudget } from '../lot/photo-budget.ts';
import { listTransformations, type TransformationDeps, transform } from './transformation.service.ts';
import { unverifiedSourcePhoto } from './unverified-sources.ts';

const tags = ['custody'];

/** Repack (分装/混装) and resale (样式二) at a stall, from its own inventory, in its vendor's own name. */
export const transformationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: TransformationDeps = {
    keyring: app.keyring,
    clock: app.clock,
    codeHost: app.config.codeHost,
    rules: defaultCustodyRules,
    store: app.transformations,
    photoBudget: serverPhotoBudget(app.config),
  };

  app.post(
    '/stalls/:stallId/transformations',
    {
      schema: {
        tags,
        summary:
          'Repack or resell: n inventory items into m 样式二 certificates in one transaction; the sources’ ' +
          'ledgers are not charged again, the stall’s inventory is drawn',
        params: StallParam,
        body: TransformationRequest,
        response: { 201: TransformationView, ...errorResponses(400, 401, 403, 404, 409, 413, 429) },
      },
      // Up to four photographed sources: past the server's default limit, a larger body is BODY_TOO_LARGE (413).
      bodyLimit: maxTransformationBodyBytes,
      preParsing: app.requireRole(['vendor']),
    },
    async (request, reply) => {
      // The stall's visibility is checked on what the transaction reads, so the request reads it once.
      const { principal } = request;
      const caller = {
        actor: actorOf(principal),
        sees: (stall: Parameters<typeof canSeeStall>[1]) => canSeeStall(principal, stall),
      };
      const result = await transform(deps, caller, request.params.stallId, request.body);
      if (!result.ok) throw new ApiProblem(result.error.code, result.error.message);
      // Flagged outputs changed the trust data: this node's gates judge them `review` from the next scan on.
      if (result.transformation.outputs.some((output) => output.unverifiedSources))
        app.scanFlow.trust.invalidate();
      for (const output of result.transformation.outputs) {
        app.events.emit('certificate.issued', {
          certificateId: output.id,
          issuerId: output.issuerId,
          kind: 'repack',
        });
      }
      return reply.code(201).send(result.transformation);
    },
  );

  app.get(
    '/stalls/:stallId/transformations',
    {
      schema: {
        tags,
        summary: 'A stall’s repacks and resales, newest first, with what each output drew',
        params: StallParam,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: TransformationView.array(), ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: app.requireRole(['market_admin', 'gate_staff', 'vendor', 'regulator']),
    },
    async (request) => {
      const stall = await visibleStall(app, request.principal, request.params.stallId);
      return listTransformations(app.prisma, stall.id, request.query.limit);
    },
  );

  app.get(
    '/transformations/:id/unverified-sources/:index/photo',
    {
      schema: {
        tags,
        summary:
          'The photo of a repack’s declared unverified source (index as in unverifiedSources, from 0): JPEG, ' +
          'PNG or WebP, for whoever may see the stall; NO_PHOTO when it was declared without one',
        params: UnverifiedSourcePhotoParams,
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: app.requireRole(['market_admin', 'gate_staff', 'vendor', 'regulator']),
    },
    async (request, reply) => {
      const { id, index } = request.params;
      const found = await unverifiedSourcePhoto(app.prisma, request.principal, id, index);
      if (!found.ok) throw new ApiProblem(found.code, found.message);
      return sendPhoto(reply, found.photo, `source-${id}-${index}`);
    },
  );
};
