import { randomBytes } from 'node:crypto';

// Drawn once per process: it keeps ids from two server nodes apart without a random draw per document.
const processTag = randomBytes(5).toString('hex');
let sequence = 0;

/**
 * Lot documents are judged in the order they were presented, and two may land in the same millisecond, so
 * their ids sort by time, then by a per-process sequence, then by the process tag that keeps nodes apart. The
 * sequence never restarts: ids are made in a different order than their times were taken.
 */
export function documentId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 8;
  return `${at.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(8, '0')}${processTag}`;
}
