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
  // requireRole admits only regulators and admins, whose scopes are handled above.
  throw new ApiProblem('FORBIDDEN', 'only regulators trace certificates');
}

/** Regulators' trace of a certificate, as JSON and as a sortable spreadsheet. */
export const traceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['trace'];
  const regulators = app.requireRole(['regulator']);

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
          "within the regulator's region",
        params: TraceParam,
        response: { 200: CertificateTrace, ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: regulators,
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
