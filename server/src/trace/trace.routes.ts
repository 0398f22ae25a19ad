import type { Principal } from '@liangzheng/domain';
import { CertificateTrace, TraceParam } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { type TraceScope, traceCertificate } from './trace-service.ts';
import { traceWorkbook } from './trace-sheet.ts';

function scopeOf(principal: Principal): TraceScope {
  if (principal.kind === 'user' && principal.scope.kind === 'all') return { kind: 'all' };
  if (principal.kind === 'user' && principal.scope.kind === 'region')
    return { kind: 'region', prefix: principal.scope.prefix };
  if (principal.kind === 'user' && principal.scope.kind === 'issuer')
    return { kind: 'issuer', issuerId: principal.scope.issuerId };
  // requireRole admits only regulators, producers and admins, whose scopes are handled above.
  throw new ApiProblem('FORBIDDEN', 'only regulators and issuers trace certificates');
}

/**
 * Regulators' trace of a certificate, as JSON and as a sortable spreadsheet; a producer reads the JSON of its own
 * certificates to see where each arrived.
 */
export const traceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['trace'];
  const regulators = app.requireRole(['regulator']);
  const readers = app.requireRole(['regulator', 'producer']);

  async function traced(principal: Principal, id: string) {
    const result = await traceCertificate(app.prisma, id, scopeOf(principal));
    if (!result.ok) throw new ApiProblem(result.error.code, result.error.message);
    return result.trace;
  }

  app.get(
    '/certificates/:id/trace',
    {
      schema: {
        tags,
        summary:
          'Up to the producers (with quantities), down to every repack and every lot and scan that used it, ' +
          "within the regulator's region; for its producer, the certificate alone and where it was scanned",
        params: TraceParam,
        response: { 200: CertificateTrace, ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: readers,
    },
    async (request) => traced(request.principal, request.params.id),
  );

  app.get(
    '/certificates/:id/trace.xlsx',
    {
      schema: {
        tags,
        summary: 'The trace as an FSMA-204-style spreadsheet: one row per event, sortable',
        params: TraceParam,
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: regulators,
    },
    async (request, reply) => {
      const trace = await traced(request.principal, request.params.id);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="trace-${trace.certificateId}.xlsx"`)
        .send(await traceWorkbook(trace, app.config.timeZone));
    },
  );
};
