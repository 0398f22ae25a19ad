import { randomBytes } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

/**
 * Lot documents are judged in the order they were presented, and two may land in the same millisecond, so
 * their ids sort by time, then by a per-process sequence, then by random bits that keep nodes apart.
 */
export function documentId(at: Date): string {
  const millis = at.getTime();
  sequence = millis === lastMillis ? sequence + 1 : 0;
  lastMillis = millis;
  return `${millis.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${randomBytes(5).toString('hex')}`;
}
