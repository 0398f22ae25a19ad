import { type ReasonCode, VerificationBody } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TrustSource } from '../trust/trust-source.ts';
import { codeTextOf, type VerifyDeps, verifyCode } from './verification.ts';
import { renderVerification } from './verify-page.ts';

/** The code's path part; the app's router admits parameters up to 1024 characters, readCode bounds the rest. */
const CodeParam = z.strictObject({ code: z.string().max(1000) });

const messageOf = (reason: ReasonCode | null, explain: (code: ReasonCode) => string) =>
  reason === null ? '合格证核验通过' : explain(reason);

/** Public: the page a consumer's phone opens from the QR, and the same as JSON. No login, no script. */
export const verifyRoutes =
  (deps: VerifyDeps & { trust: TrustSource; explain: (code: ReasonCode) => string }): FastifyPluginAsyncZod =>
  async (app) => {
    for (const prefix of ['/v/', '/V/']) {
      app.get(`${prefix}:code`, { schema: { hide: true, params: CodeParam } }, async (request, reply) => {
        const result = await verifyCode(
          deps,
          await deps.trust.current(),
          codeTextOf(request.params.code, deps.codeHost),
        );
        // Unreadable codes still get a friendly page, with a status that says so.
        const status = result.certificate ? 200 : 404;
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(renderVerification(result));
      });
    }

    app.get(
      '/api/v1/verify',
      {
        schema: {
          tags: ['verify'],
          summary: 'Verify a certificate code (public)',
          querystring: z.strictObject({ code: z.string().min(1).max(1000) }),
          response: { 200: VerificationBody, 422: VerificationBody },
        },
      },
      async (request, reply) => {
        const result = await verifyCode(
          deps,
          await deps.trust.current(),
          codeTextOf(request.query.code, deps.codeHost),
        );
        const body = { ...result, message: messageOf(result.reason, deps.explain) };
        return reply.code(result.certificate ? 200 : 422).send(body);
      },
    );
  };
