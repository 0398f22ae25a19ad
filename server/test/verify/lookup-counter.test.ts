import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';

describe('the public page counts its lookups and warns of forged and voided codes', () => {
  let t: TestApp;
  let code: string;
  let id: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const cert = await issueTestCertificate(t, {
      issuerId: t.demo!.issuers.eggs,
      productName: '鲜鸡蛋',
      productCode: 5001,
      category: 'egg',
    });
    id = cert.id;
    code = cert.text.split('/V/')[1]!;
  }, 60_000);
  afterAll(async () => t?.close());

  it('says 该码已被查询 N 次，首次查询于 the first lookup in Beijing time, counting only page opens', async () => {
    const clock = t.clock as FixedClock;
    clock.set(new Date('2026-03-15T16:30:00.000Z')); // 00:30 on 16 March in Beijing
    const first = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(first.body).toContain('该码已被查询 <strong>1</strong> 次，首次查询于 2026年3月16日 00:30');
    // The JSON API (mini-programs, gates) reads without counting.
    await t.inject({ method: 'GET', url: `/api/v1/verify?code=${encodeURIComponent(code)}` });
    clock.advance(3 * 86_400_000);
    await t.inject({ method: 'GET', url: `/v/${code}` });
    const third = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(third.body).toContain('该码已被查询 <strong>3</strong> 次，首次查询于 2026年3月16日 00:30');
    const row = await t.prisma.certificate.findUniqueOrThrow({ where: { id } });
    expect(row.lookupCount).toBe(3);
    expect(row.firstLookupAt?.toISOString()).toBe('2026-03-15T16:30:00.000Z');
    expect(third.body).not.toContain('12315');
  });

  it('counts twenty lookups at once without losing one', async () => {
    const before = (await t.prisma.certificate.findUniqueOrThrow({ where: { id } })).lookupCount;
    await Promise.all(Array.from({ length: 20 }, () => t.inject({ method: 'GET', url: `/V/${code}` })));
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id } })).lookupCount).toBe(before + 20);
  });

  it('warns plainly of a tampered code and gives the 12315 complaint line', async () => {
    const tampered = code.slice(0, -3) + (code.endsWith('AAA') ? 'BBB' : 'AAA');
    const res = await t.inject({ method: 'GET', url: `/V/${tampered}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('可能是伪造或篡改的合格证');
    expect(res.body).toContain('12315');
    expect(res.body).not.toContain('<script');
  });

  it('warns of a voided certificate with the 12315 complaint line', async () => {
    await t.prisma.certificate.update({ where: { id }, data: { status: 'void', voidedAt: t.clock.now() } });
    const res = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(res.body).toContain('该合格证已作废，所证产品不得销售');
    expect(res.body).toContain('tel:12315');
  });

  it('does not warn of a national traceability number it simply cannot check online', async () => {
    const res = await t.inject({ method: 'GET', url: '/V/4301021262603150000123' });
    expect(res.body).not.toContain('12315');
  });
});
