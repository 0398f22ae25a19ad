import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import { isStale, provisionalVerdict } from '../../src/verdict/provisional.ts';
import { codeText, now, trustState } from '../scenario.ts';

const hoursBefore = (h: number) => new Date(now.getTime() - h * 3_600_000);
const autoLot = { id: 'lot-1', declaration: null, documents: [], auto: true };
const judge = (text: string, receivedHoursAgo: number | null, maxSnapshotAgeHours = 24) =>
  provisionalVerdict({
    text,
    lot: autoLot,
    trust: receivedHoursAgo === null ? null : trustState(hoursBefore(receivedHoursAgo)),
    now,
    maxSnapshotAgeHours,
    ed25519: nodeEd25519,
  });
const codes = (verdict: ReturnType<typeof judge>) => verdict.reasons.map((r) => r.code);

describe('provisional verdict', () => {
  it('accepts a valid certificate with a fresh snapshot, declared from the certificate itself', () => {
    const verdict = judge(codeText(), 1);
    expect(verdict).toMatchObject({ outcome: 'accept', codeKind: 'liangzheng', snapshotVersion: 42 });
    expect(verdict.certificateId).toBe('3f2a9c1b7d4e6a08');
  });

  it('never accepts past maxSnapshotAgeHours: review with SNAPSHOT_STALE', () => {
    const verdict = judge(codeText(), 30, 24);
    expect(verdict.outcome).toBe('review');
    expect(codes(verdict)).toContain('SNAPSHOT_STALE');
  });

  it('reviews with SNAPSHOT_STALE when there is no snapshot at all', () => {
    expect(judge(codeText(), null)).toMatchObject({
      outcome: 'review',
      reasons: [{ code: 'SNAPSHOT_STALE' }],
    });
  });

  it('still rejects a revoked certificate when the snapshot is stale, and says both', () => {
    const stale = provisionalVerdict({
      text: codeText(),
      lot: autoLot,
      trust: trustState(hoursBefore(30), { revoked: ['3f2a9c1b7d4e6a08'] }),
      now,
      maxSnapshotAgeHours: 24,
      ed25519: nodeEd25519,
    });
    expect(stale.outcome).toBe('reject');
    expect(codes(stale)).toEqual(expect.arrayContaining(['REVOKED', 'SNAPSHOT_STALE']));
  });

  it('treats a snapshot past its own expiry as stale whatever its age', () => {
    const expired = trustState(hoursBefore(1), { expiresAt: hoursBefore(0.5).toISOString() });
    expect(isStale(expired, now, 24)).toBe(true);
    expect(isStale(trustState(hoursBefore(1)), now, 24)).toBe(false);
  });

  it('reviews an unknown text (MALFORMED) and a foreign platform code (UNVERIFIABLE) without a declaration', () => {
    expect(judge('hello', 1)).toMatchObject({ outcome: 'review', reasons: [{ code: 'MALFORMED' }] });
    const foreign = judge('https://trace.example.cn/c/0123456789abcdef0123456789abcdef', 1);
    expect(foreign).toMatchObject({
      outcome: 'review',
      codeKind: 'foreign_url',
      reasons: [{ code: 'UNVERIFIABLE' }],
    });
  });

  it('judges in well under 100 ms', () => {
    const text = codeText();
    judge(text, 1);
    const started = performance.now();
    for (let i = 0; i < 50; i++) judge(text, 1);
    expect((performance.now() - started) / 50).toBeLessThan(100);
  });
});
