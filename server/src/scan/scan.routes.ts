import { ScanSubmission } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { deviceOf } from '../identity/identity.ts';
import { ScanAnswer } from './scan-schema.ts';
import type { ScanError, ScanResult, ScanServiceDeps } from './scan-service.ts';
import { ingestScan } from './scan-service.ts';

export function problemOf(error: ScanError): ApiProblem {
  switch (error.code) {
    case 'LOT_NOT_FOUND':
      return new ApiProblem('NOT_FOUND', error.message);
    case 'GATE_MISMATCH':
      return new ApiProblem('FORBIDDEN', error.message);
    case 'LOT_CLOSED':
      return new ApiProblem('INACTIVE', error.message);
    case 'LEDGER_CONTENDED':
      return new ApiProblem('DATABASE_UNAVAILABLE', error.message);
  }
}

export const scanRoutes =
  (deps: ScanServiceDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/scans',
      {
        schema: {
          tags: ['scans'],
          summary: 'Submit a scan (devices). Idempotent on scanId: a re-send returns the first answer.',
          body: ScanSubmission,
          response: { 200: ScanAnswer, ...errorResponses(400, 401, 403, 404, 409, 413, 429, 503) },
        },
        preHandler: app.requireDevice(),
      },
      async (request, reply) => {
        const result: ScanResult = await ingestScan(deps, request.body, deviceOf(request));
        if (!result.ok) throw problemOf(result.error);
        // The stored text itself, so a re-send gets the first answer byte for byte.
        return reply
          .code(200)
          .header('x-lz-replayed', result.replayed ? '1' : '0')
          .type('application/json; charset=utf-8')
          .serializer((payload: unknown) => payload as string)
          .send(result.response as unknown as ScanAnswer);
      },
    );
  };
