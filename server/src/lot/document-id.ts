import { randomBytes } from 'node:crypto';

// Drawn once per process: it keeps ids from two server nodes apart without a random draw per document.
const processTag = randomBytes(5).toString('hex');
let lastMillis = 0;
let sequence = 0;

/**
 * Lot documents are judged in the order they were presented, and two may land in the same millisecond, so
 * their ids sort by time, then by a per-process sequence, then by the process tag that keeps nodes apart.
 */
export function documentId(at: Date): string {
  const millis = at.getTime();
  sequence = millis === lastMillis ? sequence + 1 : 0;
  lastMillis = millis;
  return `${millis.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${processTag}`;
}
