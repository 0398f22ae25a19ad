import {
  applySnapshotDelta,
  fromBase64Url,
  openSignedDelta,
  openSignedSnapshot,
  openTrustCurrent,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate } from '../scan/scan-fixture.ts';

describe('trust snapshot', () => {
  let t: TestApp;
  let root: Uint8Array;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    root = fromBase64Url(t.keyring.rootPublicKey)!;
  }, 60_000);
  afterAll(async () => t?.close());

  const fetchTrust = (query = '') =>
    t.inject({ method: 'GET', url: `/api/v1/trust${query}` }, bearer(t.demo!.deviceToken));

  it('serves a root-signed snapshot with the keys, issuers and credit grades of the database', async () => {
    const res = await fetchTrust();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.kind).toBe('full');
    const opened = openSignedSnapshot(body.snapshot, [root], nodeEd25519, t.clock.now());
    if (!opened.ok) throw new Error(opened.failure.detail);
    const snapshot = opened.snapshot;
    const version = await t.prisma.trustChange.aggregate({ _max: { version: true } });
    expect(snapshot.version).toBe(version._max.version);
    expect(snapshot.keys.length).toBe(await t.prisma.issuerKey.count());
    expect(snapshot.issuers.find((i) => i.issuerId === t.demo!.issuers.eggs)?.creditGrade).toBe('C');
    expect(snapshot.codeHosts).toEqual([t.config.codeHost]);
  });

  it('signs with the full snapshot that its version is current now, and until when the snapshot is valid', async () => {
    const body = (await fetchTrust()).json();
    const current = openTrustCurrent(body.current, [root], nodeEd25519);
    if (!current.ok) throw new Error(current.failure.detail);
    expect(current.value).toEqual({
      format: 1,
      version: body.version,
      at: t.clock.now().toISOString(),
      expiresAt: JSON.parse(body.snapshot.body).expiresAt,
    });
  });

  it('refuses a tampered snapshot body', async () => {
    const body = (await fetchTrust()).json();
    const tampered = { ...body.snapshot, body: body.snapshot.body.replace('"C"', '"A"') };
    expect(openSignedSnapshot(tampered, [root], nodeEd25519, t.clock.now()).ok).toBe(false);
  });

  it('serves the signed increment since a version after a void, which carries the revocation', async () => {
    const first = (await fetchTrust()).json();
    const old = openSignedSnapshot(first.snapshot, [root], nodeEd25519, t.clock.now());
    if (!old.ok) throw new Error('snapshot did not open');
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const voided = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${cert.id}/void`, payload: { reason: '产品召回' } },
      admin,
    );
    expect(voided.statusCode, voided.body).toBe(200);

    const res = (await fetchTrust(`?since=${first.version}`)).json();
    expect(res.kind).toBe('delta');
    expect(res.version).toBeGreaterThan(first.version);
    const delta = openSignedDelta(res.delta, [root], nodeEd25519);
    if (!delta.ok) throw new Error(delta.failure.detail);
    expect(delta.delta.revoked).toContain(cert.id);
    expect(openTrustCurrent(res.current, [root], nodeEd25519)).toMatchObject({
      ok: true,
      value: { version: res.version },
    });
    const applied = applySnapshotDelta(old.snapshot, delta.delta);
    expect(applied.ok && applied.snapshot.revoked.includes(cert.id)).toBe(true);
    const current = (await fetchTrust(`?since=${res.version}`)).json();
    expect(current).toMatchObject({ kind: 'current', version: res.version });
    expect(openTrustCurrent(current.current, [root], nodeEd25519)).toMatchObject({
      ok: true,
      value: { version: res.version },
    });
  });

  it('refuses the public', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/trust' });
    expect(res.statusCode).toBe(401);
  });
});
