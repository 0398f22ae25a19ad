import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Who a request is counted against: the signed-in user, else the device, else the address. */
export interface RateLimitSubject {
  principal: FastifyRequest['principal'] | undefined;
  ip: string;
}

export type RateAllowance = { ok: true } | { ok: false; retryAfterMs: number };

/** The HTTP limiter's key: per user, per device, and per address for everyone else. */
export function rateLimitKey(subject: RateLimitSubject): string {
  const p = subject.principal;
  if (p?.kind === 'user') return `user:${p.userId}`;
  if (p?.kind === 'device') return `device:${p.deviceId}`;
  return `ip:${subject.ip}`;
}

/**
 * Takes one request from the HTTP rate limit for something that is not an HTTP request (a socket.io message), with
 * the same counter, limit and window: a device has one allowance however it talks to the server.
 */
export function sharedRateLimit(app: FastifyInstance): (subject: RateLimitSubject) => Promise<RateAllowance> {
  const take = app.createRateLimit();
  return async (subject) => {
    // The limiter reads its key from a request through rateLimitKey, and its route options for a group id.
    const request = { principal: subject.principal, ip: subject.ip, routeOptions: { config: {} } };
    const result = await take(request as unknown as FastifyRequest);
    return !result.isAllowed && result.isExceeded ? { ok: false, retryAfterMs: result.ttl } : { ok: true };
  };
}
