import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toBase64Url } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { applyRevocationPush } from '../../src/sync/revocation-push.ts';
import { ServerClock } from '../../src/sync/server-clock.ts';
import { fetchTrust, TrustCache } from '../../src/sync/trust-download.ts';
import { isStale, snapshotAgeMs } from '../../src/verdict/provisional.ts';
import { keys } from '../scenario.ts';

/**
 * Answers recorded from the real server through a restore (tests/agent/trust-answers.test.ts records them):
 * `full` at version N, a certificate voided, `fullAfterVoid` and `delta` at N+1, `current` at N+1; then the server
 * restored from a backup taken at N: `unknown` (since=N+1) and `rollback` (rollbackFrom=N+1).
 */
interface RecordedAnswer {
  request: string;
  at: string;
  status: number;
  body: { version?: number; current?: { body: string }; [key: string]: unknown };
}
const recorded = JSON.parse(
  readFileSync(new URL('./recorded/trust-answers.json', import.meta.url), 'utf8'),
) as {
  rootPublicKey: string;
  voidedCertificateId: string;
  answers: Record<'full' | 'fullAfterVoid' | 'delta' | 'current' | 'unknown' | 'rollback', RecordedAnswer>;
};
const { answers, voidedCertificateId } = recorded;
const before = answers.full.body.version!;
const after = answers.fullAfterVoid.body.version!;
const hours = (n: number) => n * 3_600_000;
/** the time the server signed into an answer's "current at T" statement */
const vouchedAt = (answer: RecordedAnswer) => new Date(JSON.parse(answer.body.current!.body).at);
/** from an answer's time to the moment its signed snapshot or increment has expired */
const untilExpiry = (answer: RecordedAnswer, document: 'snapshot' | 'delta') =>
  Date.parse(JSON.parse((answer.body[document] as { body: string }).body).expiresAt) - Date.parse(answer.at);

function setup(rootKeys = [recorded.rootPublicKey], journal = new Journal(':memory:')) {
  let time = new Date(answers.full.at);
  const clock = new ServerClock({ now: () => time }, journal);
  /** the server's time as an unsigned Date header (or anyone in the network path) tells it */
  const serverSays = (at: Date) => clock.observe(at.getTime(), time, time);
  const cache = new TrustCache(journal, clock, nodeEd25519, rootKeys);
  /** the gate's clock at `answer`'s time, or `laterMs` after it */
  const at = (answer: RecordedAnswer, laterMs = 0) => {
    time = new Date(Date.parse(answer.at) + laterMs);
  };
  /** holds N+1 with the voided certificate, as a gate does after the increment */
  const holdAfterVoid = () => {
    cache.accept(answers.full.body);
    at(answers.delta);
    expect(cache.accept(answers.delta.body)).toMatchObject({ ok: true, version: after });
  };
  return { journal, cache, clock, at, serverSays, holdAfterVoid };
}

describe('trust cache', () => {
  it('stores a root-signed snapshot, aged from when the root vouched for it, and reloads it after a restart', () => {
    const { journal, cache } = setup();
    expect(cache.accept(answers.full.body)).toEqual({ ok: true, version: before, changed: true });
    expect(cache.state?.receivedAt).toEqual(vouchedAt(answers.full));
    const reopened = setup(undefined, journal).cache;
    expect(reopened.state?.version).toBe(before);
    expect(reopened.state?.receivedAt).toEqual(vouchedAt(answers.full));
  });

  it('refuses a snapshot signed by a key that is not the configured root, and keeps nothing', () => {
    const { cache } = setup([toBase64Url(keys.producer.publicKey)]);
    expect(cache.accept(answers.full.body)).toMatchObject({ ok: false });
    expect(cache.state).toBeNull();
  });

  it('refuses everything without a configured root key', () => {
    expect(setup([]).cache.accept(answers.full.body)).toMatchObject({ ok: false, code: 'NO_ROOT_KEY' });
  });

  it('applies a signed increment on top of the cached snapshot', () => {
    const { cache, holdAfterVoid } = setup();
    holdAfterVoid();
    expect(cache.state?.index.revoked.has(voidedCertificateId)).toBe(true);
    expect(cache.state?.receivedAt).toEqual(vouchedAt(answers.delta));
  });

  it('applies a pushed revocation at once', () => {
    const { cache } = setup();
    cache.accept(answers.full.body);
    expect(cache.revoke(['bbbbbbbbbbbbbbbb'])).toBe(1);
    expect(cache.state?.index.revoked.has('bbbbbbbbbbbbbbbb')).toBe(true);
  });

  it('applies a pushed batch with one journal write, keeps it over a restart, and leaves the age alone', () => {
    const { journal, cache } = setup();
    cache.accept(answers.full.body);
    const receivedAt = cache.state?.receivedAt;
    const batch = Array.from({ length: 1000 }, (_, i) => (0xc000 + i).toString(16).padStart(16, '0'));
    let writes = 0;
    const save = journal.saveSnapshot.bind(journal);
    journal.saveSnapshot = (snapshot) => {
      writes++;
      save(snapshot);
    };
    expect(cache.revoke(batch)).toBe(1000);
    expect(writes).toBe(1);
    // already revoked: nothing new, nothing written
    expect(cache.revoke(batch.slice(0, 10))).toBe(0);
    expect(writes).toBe(1);
    expect(cache.state?.receivedAt).toEqual(receivedAt);
    expect(cache.state?.version).toBe(before);
    const reopened = setup(undefined, journal).cache;
    for (const id of batch) expect(reopened.state?.index.revoked.has(id)).toBe(true);
    expect(reopened.state?.version).toBe(before);
    expect(reopened.state?.receivedAt).toEqual(receivedAt);
  });

  it('keeps a pushed batch under the next signed increment', () => {
    const { cache, at } = setup();
    cache.accept(answers.full.body);
    cache.revoke(['cccccccccccccccc']);
    at(answers.delta);
    expect(cache.accept(answers.delta.body)).toMatchObject({ ok: true, version: after });
    expect(cache.state?.index.revoked.has('cccccccccccccccc')).toBe(true);
    expect(cache.state?.index.revoked.has(voidedCertificateId)).toBe(true);
  });
});

describe('a trust:revocation push', () => {
  const id = (n: number) => n.toString(16).padStart(16, '0');
  const event = { certificateIds: [id(1), id(2)], reason: '召回', at: answers.full.at, trustVersion: 9 };

  it('applies every id of a well-formed batch', () => {
    const { cache } = setup();
    cache.accept(answers.full.body);
    expect(applyRevocationPush(event, cache)).toEqual({ ok: true, applied: 2 });
    expect(cache.state?.index.revoked.has(id(2))).toBe(true);
  });

  it.each([
    ['no payload', undefined],
    ['the old one-certificate shape', { certificateId: id(1), reason: 'x', at: '', trustVersion: 1 }],
    ['a malformed id', { ...event, certificateIds: ['../etc/passwd'] }],
    ['an empty batch', { ...event, certificateIds: [] }],
    ['more than 1,000 ids', { ...event, certificateIds: Array.from({ length: 1001 }, (_, i) => id(i)) }],
  ])('ignores %s with REVOCATION_MALFORMED and revokes nothing', (_name, payload) => {
    const { cache } = setup();
    cache.accept(answers.full.body);
    const revokedBefore = cache.state?.index.revoked.size;
    expect(applyRevocationPush(payload, cache)).toMatchObject({ ok: false, code: 'REVOCATION_MALFORMED' });
    expect(cache.state?.index.revoked.size).toBe(revokedBefore);
  });

  it('answers REVOCATION_NOT_STORED, not a throw, when the journal cannot be written, and still refuses them', () => {
    const { journal, cache } = setup();
    cache.accept(answers.full.body);
    journal.close();
    expect(applyRevocationPush(event, cache)).toMatchObject({ ok: false, code: 'REVOCATION_NOT_STORED' });
    expect(cache.state?.index.revoked.has(id(1))).toBe(true);
  });
});

describe('trust cache against rollback and freezing', () => {
  it('refuses an older snapshot after a newer one, so a voided certificate stays revoked', () => {
    const { cache, at, holdAfterVoid } = setup();
    holdAfterVoid();
    at(answers.current);
    // the older snapshot, replayed by someone in the network path: root-signed, unexpired, and older
    expect(cache.accept(answers.full.body)).toMatchObject({ ok: false, code: 'ROLLBACK_REFUSED' });
    // the restore's older snapshot without its rollback statement is just as old
    const { rollback: _statement, ...withoutStatement } = answers.rollback.body;
    expect(cache.accept(withoutStatement)).toMatchObject({ ok: false, code: 'ROLLBACK_REFUSED' });
    expect(cache.state?.version).toBe(after);
    expect(cache.state?.index.revoked.has(voidedCertificateId)).toBe(true);
  });

  it('takes the older snapshot with the root-signed rollback statement of a restored server', () => {
    const { cache, at, holdAfterVoid } = setup();
    holdAfterVoid();
    at(answers.rollback);
    expect(cache.accept(answers.rollback.body)).toEqual({ ok: true, version: before, changed: true });
    // the restored server never voided it: its word is what counts now
    expect(cache.state?.index.revoked.has(voidedCertificateId)).toBe(false);
    expect(cache.state?.receivedAt).toEqual(vouchedAt(answers.rollback));
  });

  it('refuses a rollback statement whose signature does not hold', () => {
    const { cache, at, holdAfterVoid } = setup();
    holdAfterVoid();
    at(answers.rollback);
    const statement = answers.rollback.body.rollback as { body: string };
    const widened = {
      ...statement,
      body: statement.body.replace(`"abandonedUpTo":${after}`, '"abandonedUpTo":99'),
    };
    expect(widened.body).not.toBe(statement.body);
    expect(cache.accept({ ...answers.rollback.body, rollback: widened })).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
    expect(cache.state?.version).toBe(after);
  });

  it('refuses an expired snapshot and an expired increment', () => {
    const fresh = setup();
    fresh.at(answers.full, untilExpiry(answers.full, 'snapshot'));
    expect(fresh.cache.accept(answers.full.body)).toMatchObject({ ok: false, code: 'EXPIRED' });
    expect(fresh.cache.state).toBeNull();

    const held = setup();
    held.cache.accept(answers.full.body);
    held.at(answers.delta, untilExpiry(answers.delta, 'delta'));
    expect(held.cache.accept(answers.delta.body)).toMatchObject({ ok: false, code: 'EXPIRED' });
    expect(held.cache.state?.version).toBe(before);
  });

  it('an unsigned "current" answer does not reset the age', () => {
    const { cache, at, holdAfterVoid } = setup();
    holdAfterVoid();
    const vouched = cache.state?.receivedAt;
    at(answers.current, hours(20));
    expect(cache.accept({ kind: 'current', version: after })).toMatchObject({ ok: false, code: 'MALFORMED' });
    expect(cache.state?.receivedAt).toEqual(vouched);
  });

  it('a signed "current" answer ages the snapshot from the time it was signed, even when replayed later', () => {
    const { cache, at, holdAfterVoid } = setup();
    holdAfterVoid();
    at(answers.current, hours(20));
    expect(cache.accept(answers.current.body)).toEqual({ ok: true, version: after, changed: false });
    expect(cache.state?.receivedAt).toEqual(vouchedAt(answers.current));
    // and never moves it back: the older full snapshot of the same day leaves it where it is
    expect(cache.accept(answers.fullAfterVoid.body)).toMatchObject({ ok: true, version: after });
    expect(cache.state?.receivedAt).toEqual(vouchedAt(answers.current));
  });

  it('a server clock held back by unsigned Date headers does not keep the snapshot young', () => {
    const { cache, clock, at, serverSays, holdAfterVoid } = setup();
    holdAfterVoid();
    at(answers.delta, hours(25));
    serverSays(new Date(Date.parse(answers.delta.at) + 60_000));
    expect(snapshotAgeMs(cache.state, clock.now())).toBeGreaterThanOrEqual(hours(25));
    expect(isStale(cache.state, clock.now(), 24)).toBe(true);
  });

  it('refuses a "current" statement for another version than the one held', () => {
    const { cache } = setup();
    cache.accept(answers.full.body);
    const vouched = cache.state?.receivedAt;
    expect(cache.accept(answers.current.body)).toMatchObject({ ok: false, code: 'MALFORMED' });
    expect(cache.state?.receivedAt).toEqual(vouched);
  });
});

describe('trust download', () => {
  it('after a restore (TRUST_VERSION_UNKNOWN), fetches the whole snapshot with the rollback statement', async () => {
    // the restored server's recorded answers, replayed byte for byte with their Date
    const replayed = [answers.unknown, answers.rollback];
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const answer = replayed.find((candidate) => candidate.request === request.url);
      response.statusCode = answer?.status ?? 404;
      response.setHeader('date', new Date(answer?.at ?? 0).toUTCString());
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(answer?.body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { journal, cache, at, holdAfterVoid } = setup();
      holdAfterVoid();
      at(answers.unknown);
      const clock = new ServerClock({ now: () => new Date(answers.unknown.at) }, journal);
      const fetched = await fetchTrust(`http://127.0.0.1:${port}`, 'token', cache.held, clock, 5000);
      expect(requests).toEqual([answers.unknown.request, answers.rollback.request]);
      expect(answers.rollback.request).toBe(`/api/v1/trust?rollbackFrom=${after}`);
      at(answers.rollback);
      expect(fetched.ok && cache.accept(fetched.body)).toEqual({ ok: true, version: before, changed: true });
    } finally {
      server.close();
    }
  });
});
