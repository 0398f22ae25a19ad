import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { ErrorBody } from '../../src/http/error-code.ts';
import { escapeHtml } from '../../src/verify/verify-page.ts';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';

const verifyUrl = (code: string) => `/api/v1/verify?code=${encodeURIComponent(code)}`;

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

  it('answers a 22-digit national traceability number as one it cannot verify online, not as unreadable', async () => {
    const res = await t.inject({ method: 'GET', url: verifyUrl('4301021262603150000123') });
    expect(res.statusCode).toBe(422);
    expect(ErrorBody.parse(res.json()).error).toMatchObject({
      code: 'CODE_NOT_VERIFIABLE',
      reason: 'UNVERIFIABLE',
    });
  });

  it('gives the same as JSON', async () => {
    const res = await t.inject({ method: 'GET', url: verifyUrl(code) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      reason: null,
      certificate: { id, productName: '鲜鸡蛋', state: 'valid' },
      issuer: { creditGrade: 'C', active: true },
    });
  });

  it('shows a void certificate as void in red, with the reason as a category, never the free-text reason', async () => {
    await t.prisma.certificate.update({
      where: { id },
      data: { status: 'void', voidReason: '张三家的蛋抽检不合格', voidedAt: new Date() },
    });
    const res = await t.inject({ method: 'GET', url: `/V/${code}` });
    expect(res.body).toContain('已作废');
    expect(res.body).toContain('verdict bad');
    expect(res.body).toContain('该合格证已作废');
    expect(res.body).not.toContain('张三家的蛋抽检不合格');
    const json = await t.inject({ method: 'GET', url: verifyUrl(code) });
    expect(json.json()).toMatchObject({ valid: false, reason: 'REVOKED', certificate: { state: 'void' } });
    expect(json.body).not.toContain('张三家的蛋抽检不合格');
    expect(json.json().certificate).not.toHaveProperty('voidReason');
    await t.prisma.certificate.update({
      where: { id },
      data: { status: 'valid', voidReason: null, voidedAt: null },
    });
  });

  it('says a used-up certificate is 已用完 without showing the ledger', async () => {
    const used = await issueTestCertificate(t, { issuerId: t.demo!.issuers.eggs, quantity: 120 });
    await t.prisma.certificate.update({ where: { id: used.id }, data: { usedQuantity: 37.5 } });
    const partly = await t.inject({ method: 'GET', url: verifyUrl(used.text) });
    expect(partly.json().certificate).toMatchObject({ state: 'valid', quantity: 120 });
    expect(partly.json().certificate).not.toHaveProperty('usedQuantity');
    expect(partly.body).not.toContain('37.5');

    await t.prisma.certificate.update({ where: { id: used.id }, data: { usedQuantity: 120 } });
    const json = await t.inject({ method: 'GET', url: verifyUrl(used.text) });
    expect(json.json()).toMatchObject({ valid: true, reason: null, certificate: { state: 'used_up' } });
    const page = await t.inject({ method: 'GET', url: `/V/${used.text.split('/V/')[1]}` });
    expect(page.body).toContain('已用完');
  });

  it('shows the contact printed on the certificate, not the issuer’s registered one', async () => {
    const coop = await t.login('lvyuan_coop', t.demo!.password);
    const issued = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: {
          issuerId: t.demo!.issuers.coop,
          productCode: 1001,
          quantity: 10,
          unit: 'kg',
          originRegion: '430182',
          basis: 'self_tested',
          contact: '0731-0000 7777',
        },
      },
      coop,
    );
    expect(issued.statusCode).toBe(201);
    const printed = issued.json().certificate.code as string;
    const registered = (await t.prisma.issuer.findUniqueOrThrow({ where: { id: t.demo!.issuers.coop } }))
      .contact;
    expect(registered).not.toBe('0731-0000 7777');
    const page = await t.inject({ method: 'GET', url: `/V/${printed.split('/V/')[1]}` });
    expect(page.body).toContain(escapeHtml('0731-0000 7777'));
    expect(page.body).not.toContain(escapeHtml(registered));
    const json = await t.inject({ method: 'GET', url: verifyUrl(printed) });
    expect(json.json().certificate.contact).toBe('0731-0000 7777');
  });

  it('keeps a deactivated producer’s past certificates valid, and says the producer is no longer active', async () => {
    const farmCert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.farm });
    const admin = await t.login('admin', 'admin-test-password');
    const off = await t.inject(
      { method: 'POST', url: `/api/v1/issuers/${t.demo!.issuers.farm}/deactivate` },
      admin,
    );
    expect(off.statusCode).toBe(200);
    // Past the trust source's version recheck, so the snapshot is rebuilt without the producer being active.
    (t.clock as FixedClock).advance(5_000);
    const json = await t.inject({ method: 'GET', url: verifyUrl(farmCert.text) });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ valid: true, reason: null, issuer: { active: false } });
    const page = await t.inject({ method: 'GET', url: `/V/${farmCert.text.split('/V/')[1]}` });
    expect(page.body).toContain('verdict ok');
    expect(page.body).toContain('该承诺主体已停用');
    // An active producer's page carries no such notice.
    expect((await t.inject({ method: 'GET', url: `/V/${code}` })).body).not.toContain('已停用');
  });

  it('answers bad codes with a friendly page and a 422 ErrorBody with the reason, never 500, and escapes what it echoes', async () => {
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
    expect(ErrorBody.safeParse(json.json()).success).toBe(true);
    expect(json.json().error).toMatchObject({ code: 'CODE_NOT_VERIFIABLE' });
    expect(json.json().error.reason).toMatch(/MALFORMED|BAD_SIGNATURE/);
    const long = await t.inject({ method: 'GET', url: `/api/v1/verify?code=${'9'.repeat(2000)}` });
    expect(long.statusCode).toBe(400);
  });

  it('escapes HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});

describe('a certificate as a repack source (behind the login)', () => {
  let t: TestApp;
  let vendor: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login('vendor_a01', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  it('tells a vendor holding the code how much is left, and the public nothing', async () => {
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 300 });
    await t.prisma.certificate.update({ where: { id: cert.id }, data: { usedQuantity: 120.2 } });
    const url = `/api/v1/certificates/source?code=${encodeURIComponent(cert.text)}`;
    const res = await t.inject({ method: 'GET', url }, vendor);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ certificate: { id: cert.id, state: 'valid' }, remaining: 179.8 });
    expect((await t.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('answers a code it cannot vouch for with 422 CODE_NOT_VERIFIABLE', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/certificates/source?code=not-a-code' }, vendor);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CODE_NOT_VERIFIABLE', reason: 'MALFORMED' });
  });
});
