import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { Journal } from '@liangzheng/gate-agent/journal/journal';
import { ServerClock, systemClock } from '@liangzheng/gate-agent/sync/server-clock';
import { fetchTrust, TrustCache } from '@liangzheng/gate-agent/sync/trust-download';
import type { DemoLogins } from '@liangzheng/server/demo/demo';
import type { Keyring } from '@liangzheng/server/keyring/keyring';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startDemoServer, startServerOn } from './demo-server.ts';

/**
 * The trust answers the gate agent's own tests replay, taken from the real server through a restore: a snapshot,
 * a void, the increment that carries it, "still current", then the server restored from a backup taken before the
 * void: the agent's newer version is TRUST_VERSION_UNKNOWN, and `rollbackFrom` brings the signed rollback.
 *
 * The real agent (fetchTrust + TrustCache) goes through the same steps here, which is the restore procedure of
 * docs/operations.md (step 5). `RECORD_TRUST_ANSWERS=1 npx vitest run agent/trust-answers.test.ts` (in tests/)
 * writes the answers to gate-agent/test/sync/recorded/trust-answers.json; without it, the recorded answers must
 * still have the live ones' requests, statuses and shapes, so a changed server fails here until they are recorded
 * again.
 */
const recordingPath = new URL('../../gate-agent/test/sync/recorded/trust-answers.json', import.meta.url);
const recording = process.env.RECORD_TRUST_ANSWERS === '1';

interface RecordedAnswer {
  request: string;
  /** the server's clock when it answered */
  at: string;
  status: number;
  body: unknown;
}

const answers: Record<string, RecordedAnswer> = {};
let dir: string;
let keyring: Keyring;
let demo: DemoLogins;
let server: RunningServer;
let app: FastifyInstance;
let prisma: RunningServer['prisma'];
let url: string;
let voidedCertificateId: string;

function switchTo(running: RunningServer): void {
  server = running;
  ({ app, prisma, url } = running);
}

/** Stops the server and starts it again on `databaseUrl`, with the same keys and data directory. */
async function restoreFrom(databaseUrl: string): Promise<void> {
  await server.close();
  switchTo(await startServerOn({ dir, databaseUrl, keyring }));
}

/** One trust request as the agent sends it, kept under `name`. */
async function record(name: string, query: string): Promise<RecordedAnswer> {
  const request = `/api/v1/trust${query}`;
  const response = await fetch(new URL(request, url), {
    headers: { authorization: `Bearer ${demo.deviceToken}` },
  });
  const answer = {
    request,
    at: new Date().toISOString(),
    status: response.status,
    body: await response.json(),
  };
  answers[name] = answer;
  return answer;
}

const versionOf = (answer: RecordedAnswer) => (answer.body as { version: number }).version;

/** The query the agent sends for an increment, spelled as it spells it. */
function sinceQuery(held: { version: number; issuedAt: string } | null): string {
  if (!held) throw new Error('the agent holds no snapshot');
  return `?${new URLSearchParams({ since: String(held.version), issuedAt: held.issuedAt })}`;
}

/** Keys and value types, with signed bodies opened: what a replaying test relies on, without keys or times. */
function shapeOf(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('{')) return shapeOf(JSON.parse(value));
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, inner]) => [key, shapeOf(inner)]),
    );
  }
  return typeof value;
}

const requestShape = (request: string) => request.replace(/\d+/g, 'N');

beforeAll(async () => {
  const started = await startDemoServer({ name: 'lz-trust-answers-' });
  ({ dir, demo } = started);
  keyring = started.app.keyring;
  switchTo(started);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** A gate agent's trust side: its journal, cache, and one refresh as its loop does it. */
function gateTrust() {
  const journal = new Journal(':memory:');
  const clock = new ServerClock(systemClock, journal);
  const trust = new TrustCache(journal, clock, nodeEd25519, [keyring.rootPublicKey]);
  const refresh = async () => {
    const fetched = await fetchTrust(url, demo.deviceToken, trust.held, clock, 10_000);
    return fetched.ok ? trust.accept(fetched.body) : fetched;
  };
  const revoked = (certificateId: string) => trust.state?.index.revoked.has(certificateId);
  return { trust, refresh, revoked, close: () => journal.close() };
}

async function voidCertificate(certificateId: string): Promise<void> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: demo.users.regulator, password: demo.password },
  });
  const voided = await app.inject({
    method: 'POST',
    url: `/api/v1/certificates/${certificateId}/void`,
    payload: { reason: '产品召回' },
    headers: {
      cookie: `lz_session=${login.cookies.find((cookie) => cookie.name === 'lz_session')?.value}`,
      'x-csrf-token': login.json().csrfToken,
    },
  });
  expect(voided.statusCode, voided.body).toBe(200);
}

describe('trust answers through a restore, recorded from the real server', () => {
  it('gates follow the server back to its restored history: with the signed rollback, or whole', async () => {
    const gate = gateTrust();
    // a gate that goes offline before the restore and comes back after the restored server moved on
    const away = gateTrust();
    const before = await record('full', '');
    expect(await gate.refresh()).toMatchObject({ ok: true, version: versionOf(before) });
    expect(await away.refresh()).toMatchObject({ ok: true, version: versionOf(before) });
    const backup = join(dir, 'backup.db');
    await prisma.$executeRawUnsafe(`VACUUM INTO '${backup}'`);

    voidedCertificateId = demo.certificateIds[0]!;
    await voidCertificate(voidedCertificateId);
    const after = await record('fullAfterVoid', '');
    expect(versionOf(after)).toBeGreaterThan(versionOf(before));
    await record('delta', sinceQuery(gate.trust.held));
    expect(await gate.refresh()).toMatchObject({ ok: true, version: versionOf(after), changed: true });
    expect(gate.revoked(voidedCertificateId)).toBe(true);
    expect(await away.refresh()).toMatchObject({ ok: true, version: versionOf(after) });
    await record('current', sinceQuery(gate.trust.held));
    expect(await gate.refresh()).toMatchObject({ ok: true, version: versionOf(after), changed: false });

    // docs/operations.md, restore: stop, put the backup in place, start
    await restoreFrom(`file:${backup}`);
    const unknown = await record('unknown', sinceQuery(gate.trust.held));
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'TRUST_VERSION_UNKNOWN' } } });
    await record('rollback', `?rollbackFrom=${versionOf(after)}`);
    expect(await gate.refresh()).toMatchObject({ ok: true, version: versionOf(before), changed: true });
    expect(gate.revoked(voidedCertificateId)).toBe(false);

    // step 6: voids made again on the restored server bring it to the version number the away gate holds
    const storedVersion = async () =>
      (await prisma.trustChange.aggregate({ _max: { version: true } }))._max.version ?? 0;
    let voidedLast = '';
    for (const certificateId of demo.certificateIds.slice(1)) {
      if ((await storedVersion()) >= versionOf(after)) break;
      await voidCertificate(certificateId);
      voidedLast = certificateId;
    }
    const reached = await storedVersion();
    expect(reached).toBeGreaterThanOrEqual(versionOf(after));
    expect(await away.refresh()).toMatchObject({ ok: true, version: reached });
    expect([away.revoked(voidedCertificateId), away.revoked(voidedLast)]).toEqual([false, true]);
    expect(await gate.refresh()).toMatchObject({ ok: true, version: reached, changed: true });
    expect([gate.revoked(voidedCertificateId), gate.revoked(voidedLast)]).toEqual([false, true]);
    gate.close();
    away.close();
  }, 60_000);

  it(recording ? 'writes the recorded answers' : 'the recorded answers still match the live ones', () => {
    const live = { rootPublicKey: keyring.rootPublicKey, voidedCertificateId, answers };
    if (recording) {
      writeFileSync(recordingPath, `${JSON.stringify(live, null, 2)}\n`);
      return;
    }
    const recorded = JSON.parse(readFileSync(recordingPath, 'utf8')) as typeof live;
    const outline = (set: Record<string, RecordedAnswer>) =>
      Object.fromEntries(
        Object.entries(set).map(([name, answer]) => [
          name,
          { request: requestShape(answer.request), status: answer.status, body: shapeOf(answer.body) },
        ]),
      );
    expect(outline(recorded.answers), 'record again: RECORD_TRUST_ANSWERS=1').toEqual(outline(answers));
  });
});
