import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';

describe('the credit grade on the public certificate page', () => {
  let t: TestApp;
  let code: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const cert = await issueTestCertificate(t, {
      issuerId: t.demo!.issuers.eggs,
      productName: '鲜鸡蛋',
      productCode: 5001,
      category: 'egg',
    });
    code = cert.text.split('/V/')[1]!;
  }, 60_000);
  afterAll(async () => t?.close());

  it('says what the grade means and that it is still the registration default before any computation', async () => {
    const res = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(res.body).toContain('有违规、快检阳性或召回记录，抽检频次加倍。');
    expect(res.body).toContain('登记时设定，尚未按信用规则评定');
  });

  it('after a computation shows the new grade, its meaning and the Beijing date it was computed', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await t.inject({ method: 'POST', url: '/api/v1/credit/recompute' }, admin)).statusCode).toBe(200);
    const grade = (await t.prisma.issuer.findUniqueOrThrow({ where: { id: t.demo!.issuers.eggs } }))
      .creditGrade;
    const res = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(res.body).toContain(`class="grade">${grade}<`);
    // TEST_NOW is 2026-03-15 06:00 UTC: 14:00 in Beijing, the same calendar day
    expect(res.body).toContain('评定于 2026年3月15日');
    const api = await t.inject({ method: 'GET', url: `/api/v1/verify?code=${encodeURIComponent(code)}` });
    expect(api.json().issuer.creditGradedAt).toBe('2026-03-15T06:00:00.000Z');
  });
});
