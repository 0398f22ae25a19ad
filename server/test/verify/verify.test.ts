import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/verify/verify-page.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';

describe('public verification', () => {
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

  it('shows a valid certificate on a zh-CN page with the producer credit grade, no login, no script', async () => {
    const res = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="zh-CN">');
    expect(res.body).toContain('有效');
    expect(res.body).toContain('鲜鸡蛋');
    expect(res.body).toContain('长沙县春华蛋鸡养殖场');
    expect(res.body).toMatch(/class="grade">C</);
    expect(res.body).not.toContain('<script');
    expect((await t.inject({ method: 'GET', url: `/v/${code}` })).statusCode).toBe(200);
  });

  it('gives the same as JSON', async () => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/verify?code=${encodeURIComponent(code)}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      reason: null,
      certificate: { id, productName: '鲜鸡蛋', status: 'valid' },
      issuer: { creditGrade: 'C' },
    });
  });

  it('shows a void certificate as void in red', async () => {
    await t.prisma.certificate.update({ where: { id }, data: { status: 'void', voidReason: '召回' } });
    const res = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(res.body).toContain('已作废');
    expect(res.body).toContain('verdict bad');
    const json = (
      await t.inject({ method: 'GET', url: `/api/v1/verify?code=${encodeURIComponent(code)}` })
    ).json();
    expect(json).toMatchObject({ valid: false, reason: 'REVOKED' });
    await t.prisma.certificate.update({ where: { id }, data: { status: 'valid', voidReason: null } });
  });

  it('answers bad codes with a friendly page and a 4xx JSON reason, never 500, and escapes what it echoes', async () => {
    const page = await t.inject({
      method: 'GET',
      url: `/V/${encodeURIComponent('LZ1<script>alert(1)</script>')}`,
    });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('无法核验');
    expect(page.body).not.toContain('<script>');
    const tampered = `${code.slice(0, -3)}${code.endsWith('000') ? '111' : '000'}`;
    const json = await t.inject({ method: 'GET', url: `/api/v1/verify?code=${tampered}` });
    expect(json.statusCode).toBe(422);
    expect(json.json().reason).toMatch(/MALFORMED|BAD_SIGNATURE/);
    const long = await t.inject({ method: 'GET', url: `/api/v1/verify?code=${'9'.repeat(2000)}` });
    expect(long.statusCode).toBe(400);
  });

  it('escapes HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
