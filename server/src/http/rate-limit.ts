import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientAddress, proxyTrust } from './client-address.ts';

/** Who a request is counted against: the signed-in user, else the device, else the address. */
export interface RateLimitSubject {
  principal: FastifyRequest['principal'] | undefined;
  ip: string;
}

/** A socket.io client to count: its principal once the handshake has one, and the HTTP request that opened it. */
export interface SocketRateLimitSubject {
  principal: FastifyRequest['principal'] | undefined;
  request: IncomingMessage;
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
 * Runs tasks with the same key one after another. The rate limiter reads its counter after an await, so takes
 * that overlap all read the count the last of them left: a burst one over the limit was refused entirely.
 */
function oneAtATime() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/**
 * Takes one request from the HTTP rate limit for something that is not an HTTP request (a socket.io handshake or
 * message), with the same counter, limit and window: a device has one allowance however it talks to the server.
 * Its address is the client's as HTTP sees it, through the same trusted proxies.
 */
export function sharedRateLimit(
  app: FastifyInstance,
): (subject: SocketRateLimitSubject) => Promise<RateAllowance> {
  const take = app.createRateLimit();
  const trust = proxyTrust(app.config.trustProxy);
  const inTurn = oneAtATime();
  return (subject) => {
    const counted = { principal: subject.principal, ip: clientAddress(subject.request, trust) };
    // The limiter reads its key from a request through rateLimitKey, and its route options for a group id.
    const request = { ...counted, routeOptions: { config: {} } } as unknown as FastifyRequest;
    return inTurn(rateLimitKey(counted), async () => {
      const result = await take(request);
      return !result.isAllowed && result.isExceeded ? { ok: false, retryAfterMs: result.ttl } : { ok: true };
    });
  };
}
