import { randomUUID } from 'node:crypto';
import { scanUndoMinutes } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type SessionHeaders, type TestApp, testDbKind } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

/**
 * Undoing the last scan at the gate (docs/custody.md, "Undoing the last scan"): a recorded reversal that gives the
 * ledger back what the lot no longer claims and judges the lot again, never a delete. Over real HTTP, on SQLite and
 * (LZ_TEST_DB=postgresql) PostgreSQL.
 */
describe(`undoing the last scan (${testDbKind})`, () => {
  let t: TestApp;
  let token: string;
  let east: number;
  let staff: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    east = t.demo!.gates.wholesaleEast;
    staff = await t.login('mawangdui_gate', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  const scan = async (lotId: string, text: string) => {
    const body = scanBody(lotId, east, text);
    const res = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: body }, bearer(token));
    expect(res.statusCode, res.body).toBe(200);
    return { scanId: body.scanId, answer: res.json() };
  };
  const undo = (scanId: string, headers: Record<string, string> = staff, reason = 'wrong_code') =>
    t.inject(
      {
        method: 'POST',
        url: `/api/v1/scans/${scanId}/reversal`,
        payload: { reason, note: '扫了别的车的码' },
      },
      headers,
    );
  const used = async (id: string) =>
    (await t.prisma.certificate.findUniqueOrThrow({ where: { id } })).usedQuantity;
  const newCertificate = () => issueTestCertificate(t, { issuerId: t.demo!.issuers.coop, quantity: 100 });

  it('takes a pending lot back to its earlier coverage and returns the charge, keeping the scan', async () => {
    const [a, b] = [await newCertificate(), await newCertificate()];
    const lotId = await openLot(t, token, { quantity: 300 });
    await scan(lotId, a.text);
    const second = await scan(lotId, b.text);
    expect(second.answer.verdict.coverage).toEqual({ covered: 200, declared: 300, unit: 'kg' });
    expect(await used(b.id)).toBe(100);

    const res = await undo(second.scanId);
    expect(res.statusCode, res.body).toBe(201);
    const reversal = res.json();
    expect(reversal).toMatchObject({
      scanId: second.scanId,
      lotId,
      reason: 'wrong_code',
      note: '扫了别的车的码',
      reversedBy: 'mawangdui_gate',
      returned: [{ certificateId: b.id, quantity: 100 }],
      lotStatus: 'open',
    });
    expect(reversal.verdict.outcome).toBe('pending');
    expect(reversal.verdict.coverage).toEqual({ covered: 100, declared: 300, unit: 'kg' });
    expect([await used(a.id), await used(b.id)]).toEqual([100, 0]);

    // Recorded, never deleted: the scan and its document stay, the document marked, the reversal and audit written.
    expect(await t.prisma.scan.findUnique({ where: { id: second.scanId } })).not.toBeNull();
    const document = await t.prisma.lotDocument.findFirstOrThrow({ where: { scanId: second.scanId } });
    expect([document.type, document.quantityClaim ?? 0]).toEqual(['reversed_code', 0]);
    const row = await t.prisma.scanReversal.findUniqueOrThrow({ where: { scanId: second.scanId } });
    expect(JSON.parse(row.returned)).toEqual([{ certificateId: b.id, quantity: 100 }]);
    const audit = await t.prisma.auditLog.findFirstOrThrow({
      where: { action: 'scan.reversed', entityId: second.scanId },
    });
    expect(audit.actor).toBe('user:mawangdui_gate');
    expect((await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId } })).outcome).toBe('pending');

    // The lot goes on as before the undone scan: the right certificate completes it.
    const [c, d] = [await newCertificate(), await newCertificate()];
    expect((await scan(lotId, c.text)).answer.verdict.coverage.covered).toBe(200);
    expect((await scan(lotId, d.text)).answer.verdict.outcome).toBe('accept');
    expect([await used(a.id), await used(b.id), await used(c.id), await used(d.id)]).toEqual([
      100, 0, 100, 100,
    ]);
  });

  it('reopens an accepted lot whose last code is undone, and an only code leaves it as registered', async () => {
    const [a, b] = [await newCertificate(), await newCertificate()];
    const lotId = await openLot(t, token, { quantity: 200 });
    const first = await scan(lotId, a.text);
    const second = await scan(lotId, b.text);
    expect(second.answer.verdict.outcome).toBe('accept');

    const reopened = await undo(second.scanId);
    expect(reopened.statusCode, reopened.body).toBe(201);
    expect(reopened.json().lotStatus).toBe('open');
    const lot = await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId } });
    expect([lot.status, lot.outcome, lot.judgedAt]).toEqual(['open', 'pending', null]);

    const emptied = await undo(first.scanId, staff, 'wrong_lot');
    expect(emptied.statusCode, emptied.body).toBe(201);
    expect(emptied.json()).toMatchObject({
      verdict: null,
      returned: [{ certificateId: a.id, quantity: 100 }],
    });
    const bare = await t.prisma.lot.findUniqueOrThrow({ where: { id: lotId } });
    expect([bare.status, bare.outcome]).toEqual(['open', null]);
    expect([await used(a.id), await used(b.id)]).toEqual([0, 0]);
  });

  it('undoes only the last scan, once, within the window, at the own market, of a lot nobody acted on', async () => {
    const [a, b] = [await newCertificate(), await newCertificate()];
    const lotId = await openLot(t, token, { quantity: 300 });
    const first = await scan(lotId, a.text);
    const second = await scan(lotId, b.text);

    const notLast = await undo(first.scanId);
    expect([notLast.statusCode, notLast.json().error.code]).toEqual([409, 'SCAN_NOT_LAST']);

    const other = await t.login('tianyuan_gate', t.demo!.password);
    const foreign = await undo(second.scanId, other);
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const regulator = await t.login('changsha_regulator', t.demo!.password);
    expect((await undo(second.scanId, regulator)).statusCode).toBe(403);
    expect((await undo(randomUUID())).json().error.code).toBe('NOT_FOUND');
    expect((await undo(second.scanId, staff, 'because')).statusCode).toBe(400);

    expect((await undo(second.scanId)).statusCode).toBe(201);
    const twice = await undo(second.scanId);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'ALREADY_REVERSED']);

    const late = await scan(lotId, (await newCertificate()).text);
    (t.clock as FixedClock).advance((scanUndoMinutes + 1) * 60_000);
    try {
      const passed = await undo(late.scanId);
      expect([passed.statusCode, passed.json().error.code]).toEqual([409, 'UNDO_WINDOW_PASSED']);
    } finally {
      (t.clock as FixedClock).advance(-(scanUndoMinutes + 1) * 60_000);
    }
  });

  it('refuses a scan whose lot was rejected or closed: that is decided by the violation or the review', async () => {
    const rejectedLot = await openLot(t, token, { quantity: 100 });
    const forged = await scan(rejectedLot, 'LZ1-NOT-A-REAL-CODE');
    expect(forged.answer.verdict.outcome).not.toBe('accept');
    const refused = await undo(forged.scanId);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'SCAN_NOT_REVERSIBLE']);

    const a = await newCertificate();
    const closedLot = await openLot(t, token, { quantity: 300 });
    const shown = await scan(closedLot, a.text);
    const close = await t.inject(
      { method: 'POST', url: `/api/v1/lots/${closedLot}/close`, payload: {} },
      bearer(token),
    );
    expect(close.statusCode, close.body).toBe(200);
    const afterClose = await undo(shown.scanId);
    expect([afterClose.statusCode, afterClose.json().error.code]).toEqual([409, 'SCAN_NOT_REVERSIBLE']);
    expect(await used(a.id)).toBe(100);
  });
});
