import { describe, expect, it } from 'vitest';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import { openSignedSnapshot } from '../src/trust/signed-snapshot.ts';
import {
  openTrustCurrent,
  openTrustRollback,
  signTrustCurrent,
  signTrustRollback,
  TrustRollback,
} from '../src/trust/trust-statement.ts';
import { scenarioKeys, vectorClock } from '../test-vectors/scenario.ts';

const keys = scenarioKeys(nodeEd25519);
const roots = [keys.root.publicKey];
const current = {
  format: 1,
  version: 45,
  at: '2026-05-17T04:00:00.000Z',
  expiresAt: '2026-05-20T04:00:00.000Z',
} as const;
const rollback = { format: 1, version: 44, abandonedUpTo: 45, at: '2026-05-17T05:00:00.000Z' } as const;

describe('trust statements', () => {
  it('open what the root signed', () => {
    expect(openTrustCurrent(signTrustCurrent(current, keys.root), roots, nodeEd25519)).toEqual({
      ok: true,
      value: current,
    });
    expect(openTrustRollback(signTrustRollback(rollback, keys.root), roots, nodeEd25519)).toEqual({
      ok: true,
      value: rollback,
    });
  });

  it('never pass as one another, nor as a snapshot: the signature covers the purpose', () => {
    const signedCurrent = signTrustCurrent(current, keys.root);
    const signedRollback = signTrustRollback(rollback, keys.root);
    expect(openTrustRollback(signedCurrent, roots, nodeEd25519)).toMatchObject({
      ok: false,
      failure: { reason: 'BAD_SIGNATURE' },
    });
    expect(openTrustCurrent(signedRollback, roots, nodeEd25519)).toMatchObject({
      ok: false,
      failure: { reason: 'BAD_SIGNATURE' },
    });
    expect(openSignedSnapshot(signedCurrent, roots, nodeEd25519, vectorClock)).toMatchObject({ ok: false });
  });

  it('refuses a statement signed by a key that is not a root', () => {
    expect(openTrustCurrent(signTrustCurrent(current, keys.producer), roots, nodeEd25519)).toMatchObject({
      ok: false,
      failure: { reason: 'UNKNOWN_ISSUER' },
    });
  });

  it('a rollback abandons versions above the one it returns to', () => {
    expect(TrustRollback.safeParse({ ...rollback, abandonedUpTo: 44 }).success).toBe(false);
    expect(() => signTrustRollback({ ...rollback, abandonedUpTo: 43 }, keys.root)).toThrow();
  });
});
