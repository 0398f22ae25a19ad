import { diffSnapshots, signSnapshot, signSnapshotDelta, toBase64Url } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { ServerClock } from '../../src/sync/server-clock.ts';
import { TrustCache } from '../../src/sync/trust-download.ts';
import { keys, now, snapshot } from '../scenario.ts';

const rootKey = toBase64Url(keys.root.publicKey);
const setup = (journal = new Journal(':memory:'), rootKeys = [rootKey]) => {
  const clock = new ServerClock({ now: () => now }, journal);
  return { journal, cache: new TrustCache(journal, clock, nodeEd25519, rootKeys) };
};

describe('trust cache', () => {
  it('stores a root-signed snapshot with its receipt time, and reloads it after a restart', () => {
    const { journal, cache } = setup();
    expect(cache.accept(signSnapshot(snapshot, keys.root))).toEqual({ ok: true, version: 42, changed: true });
    expect(cache.state?.receivedAt).toEqual(now);
    const reopened = setup(journal).cache;
    expect(reopened.state?.version).toBe(42);
    expect(reopened.state?.index.codeHosts.has('LZ.DEMO.CN')).toBe(true);
  });

  it('refuses a snapshot signed by another key, and keeps nothing', () => {
    const { cache } = setup();
    const result = cache.accept(signSnapshot(snapshot, keys.producer));
    expect(result.ok).toBe(false);
    expect(cache.state).toBeNull();
  });

  it('refuses everything without a configured root key', () => {
    expect(setup(undefined, []).cache.accept(signSnapshot(snapshot, keys.root))).toMatchObject({
      ok: false,
      code: 'NO_ROOT_KEY',
    });
  });

  it('applies a signed increment on top of the cached snapshot', () => {
    const { cache } = setup();
    cache.accept(signSnapshot(snapshot, keys.root));
    const next = { ...snapshot, version: 43, revoked: [...snapshot.revoked, 'aaaaaaaaaaaaaaaa'] };
    const result = cache.accept({ delta: signSnapshotDelta(diffSnapshots(snapshot, next), keys.root) });
    expect(result).toEqual({ ok: true, version: 43, changed: true });
    expect(cache.state?.index.revoked.has('aaaaaaaaaaaaaaaa')).toBe(true);
  });

  it('applies a pushed revocation at once', () => {
    const { cache } = setup();
    cache.accept(signSnapshot(snapshot, keys.root));
    cache.revoke('bbbbbbbbbbbbbbbb');
    expect(cache.state?.index.revoked.has('bbbbbbbbbbbbbbbb')).toBe(true);
  });
});
