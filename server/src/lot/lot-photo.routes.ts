import { EntityId } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { sendPhoto } from '../http/photo-reply.ts';
import type { Db } from '../storage/db.ts';
import { lotsVisibleTo } from './lot.routes.ts';

const PhotoParams = z.strictObject({ id: EntityId, documentId: EntityId });

/**
 * `GET /lots/:id/documents/:documentId/photo`: the photo of a paper certificate, for the people who review the lot:
 * gate staff and market admins of its market, regulators of its region. Served as the image its bytes say it is;
 * bytes stored before photos were checked are served as a download, never rendered.
 */
export const lotPhotoRoutes =
  (deps: { db: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/lots/:id/documents/:documentId/photo',
      {
        schema: {
          tags: ['lots'],
          summary: 'The photo of a paper certificate shown with a lot (JPEG, PNG or WebP)',
          params: PhotoParams,
          response: { 200: z.any(), ...errorResponses(401, 403, 404) },
        },
        preParsing: app.requireRole(['market_admin', 'gate_staff', 'regulator']),
      },
      async (request, reply) => {
        const visible = lotsVisibleTo(request.principal);
        const document = visible
          ? await deps.db.lotDocument.findFirst({
              where: { id: request.params.documentId, lot: { AND: [visible, { id: request.params.id }] } },
              select: { photo: true },
            })
          : null;
        if (!document?.photo) throw new ApiProblem('NOT_FOUND', 'no photo for this lot document');
        return sendPhoto(reply, document.photo, `photo-${request.params.documentId}`);
      },
    );
  };
