import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets handed to clients are random; only their SHA-256 is stored. */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
