import { describe, expect, it } from 'vitest';
import {
  maxRevocationsPerEvent,
  TrustRevocationEvent,
  trustRevocationEvents,
} from '../src/live/live-events.ts';

const idOf = (n: number) => n.toString(16).padStart(16, '0');
const at = '2026-12-07T10:00:00.000Z';

describe('trust:revocation events', () => {
  it('pushes 2,500 revocations of one recall as three events of at most 1,000 ids, in order', () => {
    const revoked = Array.from({ length: 2500 }, (_, i) => ({
      certificateId: idOf(i + 1),
      reason: '召回',
      trustVersion: 100 + i,
    }));
    const events = trustRevocationEvents(revoked, at);
    expect(events.map((e) => e.certificateIds.length)).toEqual([maxRevocationsPerEvent, 1000, 500]);
    expect(events.flatMap((e) => e.certificateIds)).toEqual(revoked.map((r) => r.certificateId));
    expect(events.map((e) => e.trustVersion)).toEqual([1099, 2099, 2599]);
    for (const event of events) expect(TrustRevocationEvent.safeParse(event).success).toBe(true);
  });

  it('starts a new event where the reason changes (a void and its cascade)', () => {
    const events = trustRevocationEvents(
      [
        { certificateId: idOf(1), reason: '抽检不合格', trustVersion: 7 },
        { certificateId: idOf(2), reason: '来源合格证已作废', trustVersion: 8 },
        { certificateId: idOf(3), reason: '来源合格证已作废', trustVersion: 9 },
      ],
      at,
    );
    expect(events).toEqual([
      { certificateIds: [idOf(1)], reason: '抽检不合格', at, trustVersion: 7 },
      { certificateIds: [idOf(2), idOf(3)], reason: '来源合格证已作废', at, trustVersion: 9 },
    ]);
  });

  it('pushes nothing for nothing revoked', () => {
    expect(trustRevocationEvents([], at)).toEqual([]);
  });

  it('refuses an empty, oversized or malformed batch', () => {
    const base = { reason: 'x', at, trustVersion: 1 };
    expect(TrustRevocationEvent.safeParse({ ...base, certificateIds: [] }).success).toBe(false);
    const tooMany = Array.from({ length: 1001 }, (_, i) => idOf(i));
    expect(TrustRevocationEvent.safeParse({ ...base, certificateIds: tooMany }).success).toBe(false);
    expect(TrustRevocationEvent.safeParse({ ...base, certificateIds: ['not-an-id'] }).success).toBe(false);
    expect(TrustRevocationEvent.safeParse({ ...base, certificateId: idOf(1) }).success).toBe(false);
  });
});
