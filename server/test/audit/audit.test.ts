import { isRetentionRefusal } from '@liangzheng/prisma';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { retentionCutoff } from '../../src/audit/retention.ts';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const cabbage = {
  productCode: 1001,
  quantity: 80,
  unit: 'kg',
  originRegion: '430182',
  basis: 'quality_control',
} as const;

describe('audit chain', () => {
  it('verifies an untouched chain written by state changes', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    await t.inject(
      {
        method: 'POST',
        url: '/api/v1/gates',
        payload: { marketId: t.demo!.markets.wholesale, name: '西门' },
      },
      admin,
    );
    const check = await verifyAuditChain(t.prisma);
    expect(check.ok).toBe(true);
    expect(check.rows).toBeGreaterThanOrEqual(4);
    const last = await t.prisma.auditLog.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ action: 'create', entity: 'gate', actor: 'user:admin' });
  });

  it('names the first tampered row', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    for (const name of ['西门', '南门', '货运门']) {
      await t.inject(
        { method: 'POST', url: '/api/v1/gates', payload: { marketId: t.demo!.markets.wholesale, name } },
        admin,
      );
    }
    const rows = await t.prisma.auditLog.findMany({ orderBy: { seq: 'asc' } });
    const victim = rows[rows.length - 2]!;
    await t.prisma.auditLog.update({ where: { seq: victim.seq }, data: { data: '{"name":"改过的"}' } });
    expect(await verifyAuditChain(t.prisma, 2)).toEqual({
      ok: false,
      rows: rows.length - 2,
      firstBadSeq: victim.seq,
      problem: 'hash_mismatch',
    });
  });

  it('detects a deleted row as a broken link', async () => {
    t = await buildTestApp({ demo: true });
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    await t.inject(
      {
        method: 'POST',
        url: '/api/v1/gates',
        payload: { marketId: t.demo!.markets.wholesale, name: '西门' },
      },
      admin,
    );
    const rows = await t.prisma.auditLog.findMany({ orderBy: { seq: 'asc' } });
    await t.prisma.auditLog.delete({ where: { seq: rows[1]!.seq } });
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      firstBadSeq: rows[2]!.seq,
      problem: 'broken_link',
    });
  });
});

describe('retention', () => {
  it('measures six calendar months back', () => {
    expect(retentionCutoff(new Date('2026-08-31T00:00:00Z')).toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect(retentionCutoff(new Date('2026-09-15T12:00:00Z')).toISOString()).toBe('2026-03-15T12:00:00.000Z');
  });

  it('refuses to delete or back-date a certificate younger than six months, in the app and in the database', async () => {
    t = await buildTestApp({ demo: true });
    const producer = await t.login(t.demo!.users.producer, t.demo!.password);
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: { issuerId: t.demo!.issuers.coop, ...cabbage },
      },
      producer,
    );
    const id = res.json().certificate.id;
    await expect(t.app.prisma.certificate.delete({ where: { id } })).rejects.toMatchObject({
      code: 'RETENTION_PERIOD',
    });
    await expect(t.app.prisma.certificate.deleteMany({})).rejects.toMatchObject({ code: 'RETENTION_PERIOD' });
    expect(await t.prisma.certificate.count({ where: { id } })).toBe(1);

    // an app whose clock runs six months ahead passes its own guard, and the database still keeps the record
    const { createdAt } = await t.prisma.certificate.findUniqueOrThrow({ where: { id } });
    (t.clock as FixedClock).set(new Date(createdAt.getTime() + 184 * 86_400_000));
    const refusal = await t.app.prisma.certificate.delete({ where: { id } }).catch((error) => error);
    expect(isRetentionRefusal(refusal)).toBe(true);
    expect(await t.prisma.certificate.count({ where: { id } })).toBe(1);
    // nor can the record be back-dated to get round it
    const backDated = await t.prisma.certificate
      .update({ where: { id }, data: { createdAt: new Date('2025-01-01T00:00:00Z') } })
      .catch((error) => error);
    expect(isRetentionRefusal(backDated)).toBe(true);
  });

  it('deletes a certificate older than six months', async () => {
    t = await buildTestApp({ demo: true });
    const young = await t.prisma.certificate.findFirstOrThrow();
    const { id: _id, createdAt: _createdAt, ...fields } = young;
    const id = 'aaaaaaaaaaaaaaaa';
    await t.prisma.certificate.create({
      data: { ...fields, id, code: `${young.code}-old`, createdAt: new Date(Date.now() - 213 * 86_400_000) },
    });
    (t.clock as FixedClock).set(new Date());
    await t.app.prisma.certificate.delete({ where: { id } });
    expect(await t.prisma.certificate.count({ where: { id } })).toBe(0);
  });
});
