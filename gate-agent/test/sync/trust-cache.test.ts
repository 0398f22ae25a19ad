import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diffSnapshots, signSnapshot, signSnapshotDelta, toBase64Url } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { ServerClock } from '../../src/sync/server-clock.ts';
import { fetchTrust, TrustCache } from '../../src/sync/trust-download.ts';
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

describe('trust download', () => {
  it('asks for the whole snapshot when the server knows no version as new as ours (a restored server)', async () => {
    const requests: string[] = [];
    // the server's own answers, as trust.routes.ts gives them
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      if (request.url?.includes('since=')) {
        response.statusCode = 400;
        response.end(JSON.stringify({ code: 'TRUST_VERSION_UNKNOWN', message: 'fetch without since' }));
        return;
      }
      response.end(JSON.stringify({ kind: 'full', snapshot: signSnapshot(snapshot, keys.root) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { journal, cache } = setup();
      const clock = new ServerClock({ now: () => now }, journal);
      const fetched = await fetchTrust(`http://127.0.0.1:${port}`, 'token', 57, clock, 5000);
      expect(requests).toEqual(['/api/v1/trust?since=57', '/api/v1/trust']);
      expect(fetched.ok && cache.accept(fetched.body)).toEqual({ ok: true, version: 42, changed: true });
    } finally {
      server.close();
    }
  });
});
