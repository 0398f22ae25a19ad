import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleEd25519 } from '../src/certificate/ed25519.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import { canonicalJson, signDocument } from '../src/trust/signed-document.ts';
import { openSignedSnapshot, signSnapshot } from '../src/trust/signed-snapshot.ts';
import type { TrustSnapshot } from '../src/trust/snapshot.ts';
import {
  applySnapshotDelta,
  diffSnapshots,
  normaliseSnapshot,
  openSignedDelta,
  signSnapshotDelta,
} from '../src/trust/snapshot-delta.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import { scenarioKeys, scenarioSnapshot, vectorClock } from '../test-vectors/scenario.ts';

const keys = scenarioKeys(nodeEd25519);
const snapshot = scenarioSnapshot(keys);
const roots = [keys.root.publicKey];

describe('signed snapshot', () => {
  it('opens what the root signed, with either Ed25519 implementation', () => {
    const signed = signSnapshot(snapshot, keys.root);
    expect(openSignedSnapshot(signed, roots, nodeEd25519, vectorClock)).toEqual({ ok: true, snapshot });
    expect(openSignedSnapshot(signed, roots, nobleEd25519, vectorClock)).toEqual({ ok: true, snapshot });
  });

  it('signs canonical JSON, so key order does not change the body', () => {
    const reordered = Object.fromEntries(Object.entries(snapshot).reverse()) as TrustSnapshot;
    expect(signSnapshot(reordered, keys.root).body).toBe(signSnapshot(snapshot, keys.root).body);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('refuses an edited body', () => {
    const signed = signSnapshot(snapshot, keys.root);
    const edited = { ...signed, body: signed.body.replace('"revoked":["0badc0de0badc0de"]', '"revoked":[]') };
    expect(edited.body).not.toBe(signed.body);
    expect(openSignedSnapshot(edited, roots, nodeEd25519, vectorClock)).toEqual({
      ok: false,
      failure: { reason: 'BAD_SIGNATURE', detail: 'bad_signature' },
    });
  });

  it('refuses a snapshot signed by a key that is not a root', () => {
    const signed = signSnapshot(snapshot, keys.producer);
    expect(openSignedSnapshot(signed, roots, nodeEd25519, vectorClock)).toMatchObject({
      ok: false,
      failure: { reason: 'UNKNOWN_ISSUER', detail: 'unknown_root_key' },
    });
  });

  it('refuses a malformed envelope and a signed body that is not a snapshot', () => {
    expect(openSignedSnapshot({ body: 1 }, roots, nodeEd25519, vectorClock)).toMatchObject({
      failure: { detail: 'malformed_envelope' },
    });
    const notSnapshot = signDocument('LZ-TRUST-SNAPSHOT-1', { format: 1 }, keys.root);
    expect(openSignedSnapshot(notSnapshot, roots, nodeEd25519, vectorClock)).toMatchObject({
      failure: { reason: 'MALFORMED', detail: 'malformed_body' },
    });
  });

  it('reports expiry but still hands back the snapshot', () => {
    const signed = signSnapshot(snapshot, keys.root);
    const later = new Date(Date.parse(snapshot.expiresAt));
    expect(openSignedSnapshot(signed, roots, nodeEd25519, later)).toEqual({
      ok: false,
      failure: { reason: 'SNAPSHOT_STALE', detail: 'expired' },
      snapshot,
    });
  });
});

describe('snapshot delta', () => {
  const next: TrustSnapshot = {
    ...snapshot,
    version: 43,
    expiresAt: '2026-05-19T20:00:00.000Z',
    keys: snapshot.keys.map((key) =>
      key.issuerId === 1001 && key.validTo === null ? { ...key, status: 'compromised' } : key,
    ),
    issuers: [
      ...snapshot.issuers.filter((issuer) => issuer.issuerId !== 1003),
      { ...snapshot.issuers[0]!, issuerId: 1005 },
    ],
    revoked: [...snapshot.revoked, '1111222233334444'],
  };

  it('carries only what changed', () => {
    const delta = diffSnapshots(snapshot, next);
    expect(delta).toMatchObject({
      fromVersion: 42,
      toVersion: 43,
      removedIssuers: [1003],
      revoked: ['1111222233334444'],
    });
    expect(delta.keys).toHaveLength(1);
    expect(delta.issuers.map((issuer) => issuer.issuerId)).toEqual([1005]);
    expect(delta).not.toHaveProperty('rules');
  });

  it('applied to the old snapshot gives the new one', () => {
    expect(applySnapshotDelta(snapshot, diffSnapshots(snapshot, next))).toEqual({
      ok: true,
      snapshot: normaliseSnapshot(next),
    });
  });

  it('refuses a delta made from another version', () => {
    const delta = diffSnapshots({ ...snapshot, version: 41 }, next);
    expect(applySnapshotDelta(snapshot, delta)).toEqual({
      ok: false,
      failure: { reason: 'SNAPSHOT_STALE', detail: 'version_mismatch' },
    });
  });

  it('is signed, and a signed delta never opens as a snapshot', () => {
    const signed = signSnapshotDelta(diffSnapshots(snapshot, next), keys.root);
    expect(openSignedDelta(signed, roots, nodeEd25519)).toMatchObject({ ok: true, delta: { toVersion: 43 } });
    expect(openSignedSnapshot(signed, roots, nodeEd25519, vectorClock)).toMatchObject({
      failure: { detail: 'bad_signature' },
    });
  });

  it('round-trips any change of revocations, issuers and rules', () => {
    const id = fc.stringMatching(/^[0-9a-f]{16}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { maxLength: 8 }),
        fc.subarray(snapshot.issuers),
        fc.boolean(),
        (revoked, issuers, newRules) => {
          const changed: TrustSnapshot = {
            ...next,
            revoked,
            issuers,
            rules: newRules ? { ...snapshot.rules, version: 'test-2' } : snapshot.rules,
          };
          const applied = applySnapshotDelta(snapshot, diffSnapshots(snapshot, changed));
          expect(applied).toEqual({ ok: true, snapshot: normaliseSnapshot(changed) });
        },
      ),
    );
  });
});

describe('trust index', () => {
  it('keeps colliding key ids side by side and leaves out keys whose id does not match', () => {
    const tampered = { ...snapshot.keys[0]!, keyId: '00000000' };
    const index = buildTrustIndex({ ...snapshot, keys: [...snapshot.keys, tampered] });
    expect(index.keysById.get(keys.collisionSigner.keyId)).toHaveLength(2);
    expect(index.rejectedKeys).toEqual([{ key: tampered, detail: 'key_id_mismatch' }]);
  });

  it('skips foreign platform patterns that are not valid regular expressions', () => {
    const index = buildTrustIndex({ ...snapshot, foreignPlatforms: [{ name: 'broken', pattern: '(' }] });
    expect(index.invalidPlatforms).toEqual(['broken']);
    expect(index.foreignPlatforms).toEqual([]);
  });
});
