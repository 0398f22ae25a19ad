import { ProducerCertificateList, ProducerCertificateQuery } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { producerCertificates } from './producer-certificates.ts';

/** The producer screen's one read: its own certificates, how much of each is used, and where each was scanned. */
export const producerCertificateRoutes: FastifyPluginAsyncZod = async (app) => {
  const producers = app.requireRole(['producer']);
  app.get(
    '/producer/certificates',
    {
      schema: {
        tags: ['certificate'],
        summary:
          "The producer's own latest certificates, newest first, each with its used quantity and its scans " +
          '(market, gate, time, verdict), in one read',
        querystring: ProducerCertificateQuery,
        response: { 200: ProducerCertificateList, ...errorResponses(400, 401, 403) },
      },
      preParsing: producers,
    },
    async (request) => {
      const p = request.principal;
      if (p.kind !== 'user' || p.scope.kind !== 'issuer')
        throw new ApiProblem('FORBIDDEN', 'only a producer login with its issuer lists its certificates');
      const certificates = await producerCertificates(app.prisma, {
        issuerId: p.scope.issuerId,
        limit: request.query.limit,
        before: request.query.before ? new Date(request.query.before) : undefined,
      });
      return { certificates };
    },
  );
};
