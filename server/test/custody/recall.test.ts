import { readCode } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { issueTestCertificate } from '../scan/scan-fixture.ts';
import { inventoryOf, lotItem, transformAt, truckForStall } from './custody-fixture.ts';

describe('recall', () => {
  let t: TestApp;
  let vendor: SessionHeaders;
  let regulator: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    regulator = await t.login('changsha_regulator', t.demo!.password);
  }, 120_000);
  afterAll(async () => t?.close());

  /** A producer certificate at A-01, a kept repack of it, and a resale of that repack: three generations. */
  async function threeGenerations() {
    const producer = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 100 });
    const { lotId } = await truckForStall(t, t.demo!.stalls.a01, [producer], { quantity: 100 });
    await inventoryOf(t, t.demo!.stalls.a01, vendor);
    const repack = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId: lotItem(lotId, producer.id), quantity: 50 }],
      outputs: [{ quantity: 48, keep: true }],
    });
    const child = repack.json().outputs[0].id as string;
    const resale = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'resale',
      inputs: [{ itemId: `out:${child}`, quantity: 10 }],
      outputs: [{ quantity: 10 }],
    });
    return { producer, lotItemId: lotItem(lotId, producer.id), child, grandchild: resale.json().outputs[0] };
  }

  it('revokes every descendant, holds the goods, pushes every revocation and says so on the public page', async () => {
    const { producer, lotItemId, child, grandchild } = await threeGenerations();
    const voided: string[] = [];
    t.app.events.on('certificate.voided', (event) =>
      voided.push(...event.revoked.map((r) => r.certificateId)),
    );
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/recalls',
        payload: { certificateId: producer.id, reason: '农残抽检超标' },
      },
      regulator,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect([...res.json().revoked].sort()).toEqual([producer.id, child, grandchild.id].sort());
    expect(voided.sort()).toEqual([producer.id, child, grandchild.id].sort());
    expect(res.json().heldItems).toEqual(expect.arrayContaining([lotItemId, `out:${child}`]));
    for (const id of [producer.id, child, grandchild.id]) {
      const row = await t.prisma.certificate.findUniqueOrThrow({ where: { id } });
      expect([row.status, row.voidKind, row.recallId]).toEqual(['void', 'recall', res.json().id]);
    }
    // A gate judges with the trust data: the buyer's code is REVOKED there.
    const view = await t.app.scanFlow.trust.current();
    const reading = readCode(grandchild.code, view.index, nodeEd25519);
    expect(reading.kind === 'liangzheng' && reading.failure?.reason).toBe('REVOKED');
    const page = await t.inject({
      method: 'GET',
      url: `/api/v1/verify?code=${encodeURIComponent(grandchild.code)}`,
    });
    expect(page.json()).toMatchObject({
      valid: false,
      reason: 'REVOKED',
      certificate: { state: 'void', recall: { reason: '农残抽检超标' } },
    });
    const html = await t.inject({ method: 'GET', url: `/V/${grandchild.code.split('/V/')[1]}` });
    expect(html.body).toContain('已召回');
    expect(html.body).toContain('农残抽检超标');
    // Held goods cannot be drawn on.
    const draw = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'resale',
      inputs: [{ itemId: lotItemId, quantity: 1 }],
      outputs: [{ quantity: 1 }],
    });
    expect(draw.json().error.code).toBe('ITEM_HELD');
    const audit = await t.prisma.auditLog.findFirstOrThrow({
      where: { action: 'recall', entityId: res.json().id },
    });
    expect(audit.actor).toContain('changsha_regulator');
  });

  it('recalls a producer’s certificates over an issue-date range, and only those', async () => {
    const inRange = await threeGenerations();
    const outside = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    // Signed now like the rest; stored as issued the day before, outside the range recalled.
    await t.prisma.certificate.update({
      where: { id: outside.id },
      data: { issuedAt: new Date('2026-03-14T06:00:00Z') },
    });
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/recalls',
        payload: {
          issuerId: t.demo!.issuers.coop,
          issuedFrom: '2026-03-15T00:00:00+08:00',
          issuedTo: '2026-03-16T00:00:00+08:00',
          reason: '产地水源污染',
        },
      },
      await t.login(t.demo!.users.producer, t.demo!.password),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().revoked).toEqual(expect.arrayContaining([inRange.producer.id, inRange.child]));
    expect(res.json().revoked).not.toContain(outside.id);
  });

  it('is hidden from another region’s regulator and refused to market staff', async () => {
    const producer = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    const body = { certificateId: producer.id, reason: '抽检不合格' };
    const zhuzhou = await t.login('zhuzhou_regulator', t.demo!.password);
    expect(
      (await t.inject({ method: 'POST', url: '/api/v1/recalls', payload: body }, zhuzhou)).statusCode,
    ).toBe(404);
    expect(
      (await t.inject({ method: 'POST', url: '/api/v1/recalls', payload: body }, vendor)).statusCode,
    ).toBe(403);
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: producer.id } })).status).toBe(
      'valid',
    );
  });
});
