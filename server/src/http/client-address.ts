import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** Which peers may say who the client is (X-Forwarded-For, X-Forwarded-Proto); false: none, the default. */
export type ProxyTrust = ((address: string, hop: number) => boolean) | false;

/**
 * The trust rule for `LIANGZHENG_TRUST_PROXY`: addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`.
 * Throws on an entry that is none of these, so configuration can refuse it.
 */
export function proxyTrust(trusted: readonly string[]): ProxyTrust {
  return trusted.length === 0 ? false : proxyAddr.compile([...trusted]);
}

/**
 * The client's address as Fastify gives `request.ip`, for requests Fastify does not see (socket.io handshakes):
 * the nearest address in X-Forwarded-For that is not a trusted proxy, or the peer itself.
 */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  return trust ? proxyAddr(request, trust) : (request.socket.remoteAddress ?? '');
}
