import { checkTransition } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';
import { testPhotoBase64 } from '../lot/photo-fixture.ts';
import { bearer } from '../scan/scan-fixture.ts';

describe('violation states', () => {
  it('allows open → reviewing → confirmed → rectified', () => {
    expect(checkTransition('open', 'reviewing').ok).toBe(true);
    expect(checkTransition('reviewing', 'confirmed').ok).toBe(true);
    expect(checkTransition('reviewing', 'dismissed').ok).toBe(true);
    expect(checkTransition('confirmed', 'rectified').ok).toBe(true);
  });

  it('refuses skipping review, reopening, and rectifying a dismissed violation', () => {
    for (const [from, to] of [
      ['open', 'confirmed'],
      ['confirmed', 'open'],
      ['dismissed', 'rectified'],
      ['rectified', 'reviewing'],
    ] as const) {
      const check = checkTransition(from, to);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.error.code).toBe('VIOLATION_TRANSITION_INVALID');
    }
  });
});

describe('violations over HTTP', () => {
  let t: TestApp;
  let violationId: string;
  let regulator: Record<string, string>;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const lot = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          declaration: { productName: '辣椒', category: 'vegetable', quantity: 30, unit: 'kg' },
          noCertificate: true,
        },
      },
      bearer(t.demo!.deviceToken),
    );
    violationId = lot.json().violationId;
    regulator = await t.login(t.demo!.users.regulator, t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  const act = (path: string, payload: object, headers = regulator) =>
    t.inject({ method: 'POST', url: `/api/v1/violations/${violationId}/${path}`, payload }, headers);

  it('puts the violation in the regional queue and not in another region’s', async () => {
    const mine = await t.inject({ method: 'GET', url: '/api/v1/violations?status=open' }, regulator);
    expect(mine.json().map((v: { id: string }) => v.id)).toContain(violationId);
    // the queue says where and what, so a regulator need not open each entry
    expect(mine.json().find((v: { id: string }) => v.id === violationId)).toMatchObject({
      marketName: expect.stringMatching(/\S/),
      productName: '辣椒',
      plate: '',
    });
    const other = await t.login(t.demo!.users.otherRegulator, t.demo!.password);
    const theirs = await t.inject({ method: 'GET', url: '/api/v1/violations' }, other);
    expect(theirs.json().map((v: { id: string }) => v.id)).not.toContain(violationId);
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/violations/${violationId}` }, other)).statusCode,
    ).toBe(404);
  });

  it('refuses an invalid transition with 409 and a code, and records nothing', async () => {
    const res = await act('transition', { to: 'confirmed' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'VIOLATION_TRANSITION_INVALID',
      from: 'open',
      to: 'confirmed',
    });
    expect(await t.prisma.violationEvent.count({ where: { violationId, type: 'status' } })).toBe(0);
  });

  it('walks review → confirm → rectify with assignment, a note and evidence in the trail', async () => {
    const assignee = await t.prisma.user.findUniqueOrThrow({ where: { username: t.demo!.users.regulator } });
    expect((await act('assign', { assigneeId: assignee.id })).statusCode).toBe(200);
    expect((await act('transition', { to: 'reviewing', note: '调取监控' })).json().status).toBe('reviewing');
    expect((await act('notes', { note: '车主承认未带合格证' })).statusCode).toBe(200);
    const photo = testPhotoBase64;
    expect((await act('evidence', { description: '现场照片', photo })).statusCode).toBe(200);
    const text = Buffer.from('not a photo').toString('base64');
    const refused = await act('evidence', { description: '现场照片', photo: text });
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await act('transition', { to: 'confirmed' })).json().status).toBe('confirmed');
    expect((await act('transition', { to: 'rectified' })).json().status).toBe('rectified');
    const detail = (
      await t.inject({ method: 'GET', url: `/api/v1/violations/${violationId}` }, regulator)
    ).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'assigned',
      'status',
      'note',
      'evidence',
      'status',
      'status',
    ]);
    expect(detail.assigneeId).toBe(assignee.id);
    const audit = await t.prisma.auditLog.count({ where: { entity: 'violation', entityId: violationId } });
    expect(audit).toBe(6);
  });

  it('refuses assigning a regulator of another region', async () => {
    const other = await t.prisma.user.findUniqueOrThrow({
      where: { username: t.demo!.users.otherRegulator },
    });
    const res = await act('assign', { assigneeId: other.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_REFERENCE');
  });

  it('does not let market staff decide on a violation', async () => {
    const staff = await t.login(t.demo!.users.market_admin, t.demo!.password);
    const res = await act('notes', { note: 'x' }, staff);
    expect(res.statusCode).toBe(403);
  });

  it('pages the queue with a cursor as lots do: every violation once, in order, even created in the same millisecond', async () => {
    const device = bearer(t.demo!.deviceToken);
    for (let i = 0; i < 7; i++) {
      const res = await t.inject(
        {
          method: 'POST',
          url: '/api/v1/lots',
          payload: {
            declaration: { productName: `辣椒${i}`, category: 'vegetable', quantity: 30, unit: 'kg' },
            noCertificate: true,
          },
        },
        device,
      );
      expect(res.statusCode).toBe(201);
    }
    type Row = { id: string; createdAt: string };
    const all = (
      await t.inject({ method: 'GET', url: '/api/v1/violations?limit=500' }, regulator)
    ).json() as Row[];
    expect(all.length).toBeGreaterThanOrEqual(8);
    // The test clock stands still: all of them share one createdAt, the case a timestamp cursor alone gets wrong.
    expect(new Set(all.map((row) => row.createdAt)).size).toBe(1);

    const paged: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const rows = (
        await t.inject({ method: 'GET', url: `/api/v1/violations?limit=3${cursor}` }, regulator)
      ).json() as Row[];
      paged.push(...rows.map((row) => row.id));
      const last = rows.at(-1);
      if (!last) break;
      cursor = `&before=${encodeURIComponent(last.createdAt)}&beforeId=${last.id}`;
    }
    expect(paged).toEqual(all.map((row) => row.id));

    const orphan = await t.inject(
      { method: 'GET', url: `/api/v1/violations?beforeId=${all[0]!.id}` },
      regulator,
    );
    expect([orphan.statusCode, orphan.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
