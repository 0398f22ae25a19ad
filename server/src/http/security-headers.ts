import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

const directives = { 'img-src': ["'self'", 'data:'], 'style-src': ["'self'", "'unsafe-inline'"] };

/**
 * Helmet's security headers on every answer. The middleware is built once here: @fastify/helmet built it again
 * for every request, about 3% of a scan's server CPU.
 *
 * `upgrade-insecure-requests` goes only with answers to HTTPS requests: a market intranet often has no TLS, and a
 * console opened at `http://gate-pc.market.lan:3000` must load its assets over plain HTTP. Behind a TLS proxy
 * the scheme is the proxy's X-Forwarded-Proto, believed when the proxy is trusted (LIANGZHENG_TRUST_PROXY).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const overHttps = helmet({ contentSecurityPolicy: { directives } });
  const overHttp = helmet({
    contentSecurityPolicy: { directives: { ...directives, 'upgrade-insecure-requests': null } },
  });
  app.addHook('onRequest', (request, reply, done) => {
    const setHeaders = request.protocol === 'https' ? overHttps : overHttp;
    setHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
