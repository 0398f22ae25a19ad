import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';
import { testPhotoBase64 } from './photo-fixture.ts';

const declaration = {
  productName: '大白菜',
  productCode: 1001,
  category: 'vegetable',
  quantity: 80,
  unit: '公斤',
};
const paper = {
  productName: '大白菜',
  quantity: 80,
  unit: 'kg',
  origin: '湖南宁乡',
  issuerName: '宁乡市绿源蔬菜种植专业合作社',
  contact: '0731-87862210',
  issuedOn: '2026-03-14',
  basis: '自我承诺',
};

describe('lots', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
  }, 60_000);
  afterAll(async () => t?.close());

  const post = (payload: object, headers = bearer(token)) =>
    t.inject({ method: 'POST', url: '/api/v1/lots', payload }, headers);

  it('judges a lot registered without a certificate MISSING at once and opens a violation', async () => {
    const res = await post({ declaration, noCertificate: true, plate: '湘A·88888' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.verdict.outcome).toBe('reject');
    expect(body.verdict.primary.code).toBe('MISSING');
    expect(body.lot).toMatchObject({
      status: 'judged',
      outcome: 'reject',
      unit: 'gongjin',
      noCertificate: true,
    });
    const violation = await t.prisma.violation.findUniqueOrThrow({ where: { id: body.violationId } });
    expect(violation.reason).toBe('MISSING');
  });

  it('judges a paper certificate PAPER_UNVERIFIED for review and keeps its photo', async () => {
    const res = await post({
      declaration,
      documents: [{ type: 'paper', fields: paper, photo: testPhotoBase64 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.verdict.outcome).toBe('review');
    expect(body.verdict.reasons.map((r: { code: string }) => r.code)).toContain('PAPER_UNVERIFIED');
    expect(body.lot.documents[0]).toMatchObject({ type: 'paper', hasPhoto: true });
    expect(body.violationId).toBeNull();
  });

  it('refuses a photo over the size bound with a 4xx code and writes nothing', async () => {
    const before = await t.prisma.lot.count();
    const photo = 'A'.repeat(200_004);
    const res = await post({ declaration, documents: [{ type: 'paper', fields: paper, photo }] });
    expect([400, 413]).toContain(res.statusCode);
    expect(res.json().error.code).toMatch(/VALIDATION_FAILED|BODY_TOO_LARGE/);
    expect(await t.prisma.lot.count()).toBe(before);
  });

  it('lets staff confirm a reviewed lot as a violation', async () => {
    const created = (await post({ declaration, documents: [{ type: 'paper', fields: paper }] })).json();
    const staff = await t.login(t.demo!.users.gate_staff, t.demo!.password);
    const res = await t.inject(
      {
        method: 'POST',
        url: `/api/v1/lots/${created.lot.id}/review`,
        payload: { decision: 'confirm_violation', note: '纸质证信息与货物不符' },
      },
      staff,
    );
    expect(res.statusCode, res.body).toBe(200);
    const violation = await t.prisma.violation.findUniqueOrThrow({ where: { id: res.json().violationId } });
    expect(violation).toMatchObject({ lotId: created.lot.id, reason: 'PAPER_UNVERIFIED', status: 'open' });
  });

  it('sweeps a lot left open past the market limit to MISSING, and leaves a scanned one alone', async () => {
    const clock = t.clock as FixedClock;
    const idle = await openLot(t, token);
    const scanned = await openLot(t, token);
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    await t.inject(
      {
        method: 'POST',
        url: '/api/v1/scans',
        payload: scanBody(scanned, t.demo!.gates.wholesaleEast, cert.text),
      },
      bearer(token),
    );
    expect(await t.app.scanFlow.sweep()).not.toContain(idle);
    clock.advance(91 * 60_000); // the demo wholesale market allows 90 minutes
    const judged = await t.app.scanFlow.sweep();
    clock.advance(-91 * 60_000);
    expect(judged).toContain(idle);
    expect(judged).not.toContain(scanned);
    const lot = await t.prisma.lot.findUniqueOrThrow({ where: { id: idle }, include: { violations: true } });
    expect(lot.outcome).toBe('reject');
    expect(lot.violations.map((v) => v.reason)).toEqual(['MISSING']);
  });

  it('opens a lot uploaded late at its arrival time, so the sweep counts from the truck, not the upload', async () => {
    const clock = t.clock as FixedClock;
    const now = clock.now().getTime();
    const postArriving = async (id: string, arrivedAt: string) => {
      const res = await t.inject(
        {
          method: 'POST',
          url: '/api/v1/lots',
          payload: { id, gateId: t.demo!.gates.wholesaleEast, declaration, arrivedAt },
        },
        bearer(token),
      );
      expect(res.statusCode, res.body).toBe(201);
      return t.prisma.lot.findUniqueOrThrow({ where: { id } });
    };
    const late = await postArriving('arrived-two-hours-ago', new Date(now - 2 * 3_600_000).toISOString());
    expect(late.openedAt.getTime()).toBe(now - 2 * 3_600_000);
    const ahead = await postArriving('gate-clock-ahead', new Date(now + 3_600_000).toISOString());
    expect(ahead.openedAt.getTime()).toBe(now);
    expect(await t.app.scanFlow.sweep()).toContain(late.id);

    const bad = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: { gateId: t.demo!.gates.wholesaleEast, declaration, arrivedAt: 'yesterday' },
      },
      bearer(token),
    );
    expect(bad.statusCode).toBe(400);
  });

  it('hides another market’s lots (404) and lists only the caller’s market', async () => {
    const lotId = await openLot(t, token);
    const other = await t.login(t.demo!.users.otherMarketAdmin, t.demo!.password);
    const res = await t.inject({ method: 'GET', url: `/api/v1/lots/${lotId}` }, other);
    expect(res.statusCode).toBe(404);
    const list = await t.inject({ method: 'GET', url: '/api/v1/lots' }, other);
    expect(list.json().map((l: { id: string }) => l.id)).not.toContain(lotId);
    const own = await t.inject({ method: 'GET', url: `/api/v1/lots/${lotId}` }, bearer(token));
    expect(own.statusCode).toBe(200);
  });
});
