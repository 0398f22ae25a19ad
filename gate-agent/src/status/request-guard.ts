import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The header the page sends its token in; a custom header also makes any cross-site POST a preflighted one. */
export const tokenHeader = 'x-gate-token';

const loopbackHostnames = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A fresh secret per agent process, embedded in the served page only. */
export function newPageToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only names that always mean this machine: a page from another site that re-points its own host name at
 * 127.0.0.1 (DNS rebinding) still sends its own name here, and is refused.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  return loopbackHostnames.has(host.toLowerCase().replace(/:\d{1,5}$/, ''));
}

export function tokenMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
