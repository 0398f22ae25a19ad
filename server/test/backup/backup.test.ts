import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BackupProgress, backupDatabase, writeBackupManifest } from '../../src/backup/backup.ts';
import { buildTestApp, type TestApp, testDbKind } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const freshTarget = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'lz-backup-')), testDbKind === 'sqlite' ? 'lz.db' : 'lz.dump');

/** Scans going in over HTTP while the backup runs, as on a market morning. */
async function scansDuringBackup(count: number): Promise<number[]> {
  const token = t.demo!.deviceToken;
  const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 100_000 });
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const lot = await openLot(t, token);
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/scans',
        payload: scanBody(lot, t.demo!.gates.wholesaleEast, cert.text),
      },
      bearer(token),
    );
    statuses.push(res.statusCode);
  }
  return statuses;
}

describe(`backup (${testDbKind})`, () => {
  it('copies the database while scans go in, restores the copy and checks its audit chain and counts', async () => {
    t = await buildTestApp({ demo: true });
    const target = freshTarget();
    const progress: BackupProgress[] = [];
    const [result, statuses] = await Promise.all([
      backupDatabase(t.config.databaseUrl, target, (p) => progress.push(p)),
      scansDuringBackup(20),
    ]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const { manifest } = result;
    expect(manifest.database).toBe(testDbKind);
    expect(manifest.sha256).toBe(createHash('sha256').update(readFileSync(target)).digest('hex'));
    expect(manifest.counts.certificates).toBeGreaterThan(0);
    expect(manifest.auditRows).toBeGreaterThan(0);
    expect(progress.at(-1)!.done).toBe(manifest.bytes);
    // one consistent moment of the live database: never more than it holds now
    expect(manifest.counts.scans).toBeLessThanOrEqual(await t.prisma.scan.count());
    expect(manifest.counts.lots).toBeLessThanOrEqual(await t.prisma.lot.count());
  });

  it('writes the backup and its manifest owner-only (0600), like the database and the key files', async () => {
    t = await buildTestApp({ demo: true });
    const target = freshTarget();
    const umask = process.umask(0o022);
    try {
      const result = await backupDatabase(t.config.databaseUrl, target);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      writeBackupManifest(target, result.manifest);
    } finally {
      process.umask(umask);
    }
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(`${target}.json`).mode & 0o777).toBe(0o600);
  });

  it('never overwrites an earlier backup', async () => {
    t = await buildTestApp({ demo: true });
    const target = freshTarget();
    expect((await backupDatabase(t.config.databaseUrl, target)).ok).toBe(true);
    const again = await backupDatabase(t.config.databaseUrl, target);
    expect(again).toMatchObject({ ok: false, code: 'BACKUP_TARGET_EXISTS' });
  });

  it('refuses to vouch for a copy whose audit chain was tampered with, naming the row', async () => {
    t = await buildTestApp({ demo: true });
    await t.prisma.$executeRawUnsafe(`UPDATE "AuditLog" SET "data" = '{"forged":true}' WHERE "seq" = 2`);
    const result = await backupDatabase(t.config.databaseUrl, freshTarget());
    expect(result).toMatchObject({ ok: false, code: 'AUDIT_CHAIN_BROKEN' });
    expect(!result.ok && result.message).toContain('seq 2');
  });
});
