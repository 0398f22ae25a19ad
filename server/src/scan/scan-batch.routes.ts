import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf, deviceOf } from '../identity/identity.ts';
import { batchAnswerJson, ingestScanBatch, type ScanBatchDeps } from './scan-batch.ts';
import type { ScanLimiter } from './scan-batch-limit.ts';
import { ScanBatch, ScanBatchAnswer } from './scan-batch-schema.ts';

/** Room for 500 scans with keystroke timings and 500 lots; the app-wide limit is sized for one scan. */
export const batchBodyLimitBytes = 8 * 1024 * 1024;

export const scanBatchRoutes =
  (deps: ScanBatchDeps, limiter: ScanLimiter): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/scans/batch',
      {
        bodyLimit: batchBodyLimitBytes,
        schema: {
          tags: ['scans'],
          summary:
            'Submit lots and scans in one request (devices): per-item answers in order; idempotent per scanId.',
          body: ScanBatch,
          response: { 200: ScanBatchAnswer, ...errorResponses(400, 401, 403, 413, 429, 503) },
        },
        preParsing: app.requireDevice(),
      },
      async (request, reply) => {
        const device = deviceOf(request);
        const allowance = limiter.take(device.deviceId, request.body.scans.length);
        if (!allowance.ok) {
          reply.header('retry-after', String(Math.ceil(allowance.retryAfterMs / 1000)));
          throw new ApiProblem('RATE_LIMITED', 'too many scans this minute; send the batch again later');
        }
        const result = await ingestScanBatch(deps, request.body, device, actorOf(request.principal));
        return reply
          .code(200)
          .type('application/json; charset=utf-8')
          .serializer((payload: unknown) => payload as string)
          .send(batchAnswerJson(result) as unknown as ScanBatchAnswer);
      },
    );
  };
