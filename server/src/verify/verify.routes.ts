import { type ReasonCode, RepackSource, ScannedText, VerificationBody } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import type { TrustSource } from '../trust/trust-source.ts';
import { countLookup } from './lookup-counter.ts';
import { codeTextOf, type VerifyDeps, verifyCode } from './verification.ts';
import { renderVerification } from './verify-page.ts';

/** The code's path part; the app's router admits parameters up to 1024 characters, readCode bounds the rest. */
const CodeParam = z.strictObject({ code: ScannedText.max(1000) });

const messageOf = (reason: ReasonCode | null, explain: (code: ReasonCode) => string) =>
  reason === null ? '合格证核验通过' : explain(reason);

/** A code this server cannot vouch for: 422 in the one error shape, with the reason code as its category. */
const notVerifiable = (reason: ReasonCode, explain: (code: ReasonCode) => string) =>
  new ApiProblem('CODE_NOT_VERIFIABLE', explain(reason), undefined, reason);

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
        // Only the page a phone opens from the QR counts as a lookup; the gate's and the API's reads do not.
        const lookups = result.certificate
          ? await countLookup(deps.db, app.dialect, result.certificate.id, app.clock.now())
          : null;
        // Unreadable codes still get a friendly page, with a status that says so.
        const status = result.certificate ? 200 : 404;
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(renderVerification(result, app.config.timeZone, lookups));
      });
    }

    app.get(
      '/api/v1/verify',
      {
        schema: {
          tags: ['verify'],
          summary: 'Verify a certificate code (public)',
          querystring: z.strictObject({ code: ScannedText.min(1).max(1000) }),
          response: { 200: VerificationBody, ...errorResponses(400, 422) },
        },
      },
      async (request, reply) => {
        const result = await verifyCode(
          deps,
          await deps.trust.current(),
          codeTextOf(request.query.code, deps.codeHost),
        );
        if (!result.certificate) throw notVerifiable(result.reason, deps.explain);
        return reply.code(200).send({ ...result, message: messageOf(result.reason, deps.explain) });
      },
    );

    app.get(
      '/api/v1/certificates/source',
      {
        schema: {
          tags: ['certificate'],
          summary:
            'A certificate whose code the caller holds, as a repack source: its state and what is left',
          querystring: z.strictObject({ code: ScannedText.min(1).max(1000) }),
          response: { 200: RepackSource, ...errorResponses(400, 401, 403, 404, 422) },
        },
        preParsing: app.requireRole(['producer', 'vendor']),
      },
      async (request) => {
        const result = await verifyCode(
          deps,
          await deps.trust.current(),
          codeTextOf(request.query.code, deps.codeHost),
        );
        if (!result.certificate) throw notVerifiable(result.reason, deps.explain);
        const ledger = await deps.db.certificate.findUnique({
          where: { id: result.certificate.id },
          select: { quantity: true, usedQuantity: true, issuerName: true },
        });
        if (!ledger) throw new ApiProblem('NOT_FOUND', 'certificate not found');
        return {
          certificate: result.certificate,
          reason: result.reason,
          issuerName: result.issuer?.name ?? ledger.issuerName,
          // to the gram of a kilogram: the ledger's float sums leave digits no one weighed
          remaining: Math.max(0, Math.round((ledger.quantity - ledger.usedQuantity) * 1000) / 1000),
        };
      },
    );
  };
