import {
  applySnapshotDelta,
  fromBase64Url,
  normaliseSnapshot,
  openSignedDelta,
  openSignedSnapshot,
  openTrustCurrent,
  openTrustRollback,
  type TrustSnapshot,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate } from '../scan/scan-fixture.ts';

describe('trust increments from any stored version', () => {
  let t: TestApp;
  let restarted: FastifyInstance;
  let root: Uint8Array;
  let admin: SessionHeaders;
  let before: TrustSnapshot;
  const versions: number[] = [];

  const trustFrom = (app: FastifyInstance, query: string) =>
    app.inject({ method: 'GET', url: `/api/v1/trust${query}`, headers: bearer(t.demo!.deviceToken) });

  const latestVersion = async () =>
    (await t.prisma.trustChange.aggregate({ _max: { version: true } }))._max.version ?? 0;

  const openFull = (body: { snapshot: unknown }) => {
    const opened = openSignedSnapshot(body.snapshot, [root], nodeEd25519, t.clock.now());
    if (!opened.ok) throw new Error(opened.failure.detail);
    return opened.snapshot;
  };

  const change = async (method: 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await t.inject({ method, url, ...(payload ? { payload } : {}) }, admin);
    expect(res.statusCode, res.body).toBeLessThan(300);
    versions.push(await latestVersion());
    return res.json();
  };

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    root = fromBase64Url(t.keyring.rootPublicKey)!;
    admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    before = openFull((await trustFrom(t.app, '')).json());
    versions.push(before.version);

    const demo = t.demo!;
    const cert = await issueTestCertificate(t, { issuerId: demo.issuers.coop });
    await change('POST', `/api/v1/certificates/${cert.id}/void`, { reason: '产品召回' });
    await change('POST', `/api/v1/issuers/${demo.issuers.farm}/credit/override`, {
      grade: 'D',
      reason: '抽检不合格，人工下调',
    });
    await change('POST', `/api/v1/issuers/${demo.issuers.repacker}/deactivate`);
    const rotated = await change('POST', `/api/v1/issuers/${demo.issuers.eggs}/keys`);
    await change('POST', `/api/v1/issuer-keys/${rotated.id}/compromise`);

    // A restart: a new app on the same database, which has never built any of the versions above.
    restarted = await buildApp({ prisma: t.prisma, config: t.config, clock: t.clock, keyring: t.keyring });
    await restarted.ready();
  }, 60_000);
  afterAll(async () => {
    await restarted?.close();
    await t?.close();
  });

  it('after a restart, serves a root-signed increment from every stored version that lands on the full snapshot', async () => {
    const current = openFull((await trustFrom(restarted, '')).json());
    expect(current.version).toBe(versions.at(-1));
    let held = before;
    for (const since of versions.slice(0, -1)) {
      const res = await trustFrom(restarted, `?since=${since}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ kind: 'delta', fromVersion: since, version: current.version });
      const opened = openSignedDelta(res.json().delta, [root], nodeEd25519);
      if (!opened.ok) throw new Error(opened.failure.detail);
      if (since === before.version) {
        const applied = applySnapshotDelta(before, opened.delta);
        if (!applied.ok) throw new Error(applied.failure.detail);
        held = applied.snapshot;
      }
    }
    expect(held).toEqual(normaliseSnapshot(current));
    expect(held.revoked.length).toBe(before.revoked.length + 1);
    expect(held.issuers.find((issuer) => issuer.issuerId === t.demo!.issuers.farm)?.creditGrade).toBe('D');
    // A deactivated issuer stays: its past certificates keep verifying (docs/api.md, Public verification).
    expect(held.issuers.some((issuer) => issuer.issuerId === t.demo!.issuers.repacker)).toBe(true);
    expect(held.keys.filter((key) => key.status === 'compromised').length).toBeGreaterThan(0);
  });

  it('an increment the agent did not start from is refused by the agent’s verifier', async () => {
    const res = (await trustFrom(restarted, `?since=${versions[1]}`)).json();
    const opened = openSignedDelta(res.delta, [root], nodeEd25519);
    if (!opened.ok) throw new Error(opened.failure.detail);
    expect(applySnapshotDelta(before, opened.delta)).toMatchObject({ ok: false });
  });

  it('answers current at the latest version, with the root-signed statement that it is current now', async () => {
    const latest = versions.at(-1)!;
    const answer = (await trustFrom(restarted, `?since=${latest}`)).json();
    expect(answer).toMatchObject({ kind: 'current', version: latest });
    const current = openTrustCurrent(answer.current, [root], nodeEd25519);
    if (!current.ok) throw new Error(current.failure.detail);
    expect(current.value).toMatchObject({ version: latest, at: t.clock.now().toISOString() });
    expect(current.value.expiresAt).toBe(openFull((await trustFrom(restarted, '')).json()).expiresAt);
  });

  it('answers the whole snapshot to a gate whose snapshot of that version predates it here (a restore, then changes)', async () => {
    const latest = versions.at(-1)!;
    const made = await t.prisma.trustChange.findUniqueOrThrow({ where: { version: latest } });
    const issuedAt = openFull((await trustFrom(restarted, '')).json()).issuedAt;
    const ours = await trustFrom(restarted, `?since=${latest}&issuedAt=${issuedAt}`);
    expect(ours.json()).toMatchObject({ kind: 'current', version: latest });
    const earlier = new Date(made.at.getTime() - 3_600_000).toISOString();
    const another = await trustFrom(restarted, `?since=${latest}&issuedAt=${earlier}`);
    expect(another.statusCode, another.body).toBe(200);
    expect(another.json()).toMatchObject({ kind: 'full', version: latest });
    const older = await trustFrom(restarted, `?since=${versions[0]}&issuedAt=${before.issuedAt}`);
    expect(older.json()).toMatchObject({ kind: 'delta', fromVersion: versions[0] });
  });

  it('answers rollbackFrom a version no node stored with the snapshot and a signed rollback to it', async () => {
    const latest = versions.at(-1)!;
    const res = await trustFrom(restarted, `?rollbackFrom=${latest + 5}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'full', version: latest });
    const rollback = openTrustRollback(res.json().rollback, [root], nodeEd25519);
    if (!rollback.ok) throw new Error(rollback.failure.detail);
    expect(rollback.value).toEqual({
      format: 1,
      version: latest,
      abandonedUpTo: latest + 5,
      at: t.clock.now().toISOString(),
    });
  });

  it('never signs a rollback from a version the server has: rollbackFrom it is the plain snapshot', async () => {
    for (const version of [versions[0]!, versions.at(-1)!]) {
      const res = await trustFrom(restarted, `?rollbackFrom=${version}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ kind: 'full', version: versions.at(-1) });
      expect(res.json().rollback).toBeUndefined();
    }
  });

  it('refuses since and rollbackFrom together with 400 VALIDATION_FAILED', async () => {
    const res = await trustFrom(restarted, `?since=1&rollbackFrom=2`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it.each([['-1'], ['abc'], ['1.5'], ['1e3'], ['']])(
    'refuses since=%s with 400 VALIDATION_FAILED',
    async (since) => {
      const res = await trustFrom(restarted, `?since=${since}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    },
  );

  it('refuses a version newer than any stored with 400 TRUST_VERSION_UNKNOWN', async () => {
    const res = await trustFrom(restarted, `?since=${versions.at(-1)! + 5}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('TRUST_VERSION_UNKNOWN');
  });

  it('answers the full snapshot when the rows after the version are no longer stored', async () => {
    await t.prisma.trustChange.deleteMany({ where: { version: { lte: versions[1] } } });
    const res = await trustFrom(restarted, `?since=${before.version}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().kind).toBe('full');
    expect(openFull(res.json()).version).toBe(versions.at(-1));
    const stillStored = await trustFrom(restarted, `?since=${versions[1]}`);
    expect(stillStored.json().kind).toBe('delta');
  });
});
