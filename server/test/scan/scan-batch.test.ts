import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { scanLimiter } from '../../src/scan/scan-batch-limit.ts';
import { buildTestApp, listenOnLoopback, type TestApp } from '../helper.ts';
import { connect } from '../live/socket-client.ts';
import { bearer, issueTestCertificate, scanBody } from './scan-fixture.ts';

const declaration = {
  productName: '大白菜',
  productCode: 1001,
  category: 'vegetable',
  quantity: 100,
  unit: 'kg',
};
const lotBody = (id: string, quantity = 100) => ({ id, declaration: { ...declaration, quantity } });
const newLotId = () => `batch-${randomUUID().slice(0, 18)}`;

interface BatchAnswer {
  lots: { lotId: string | null; ok: boolean; replayed?: boolean; error?: { code: string } }[];
  results: {
    ok: boolean;
    replayed?: boolean;
    answer?: { scanId: string; verdict: { outcome: string; reasons: { code: string }[] } };
    error?: { code: string };
  }[];
  closes: { lotId: string | null; ok: boolean; outcome?: string | null; error?: { code: string } }[];
}

describe('scan batches', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;
  let coop: number;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
    coop = t.demo!.issuers.coop;
    base = await listenOnLoopback(t);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t?.close();
  });

  const post = (body: unknown) =>
    t.inject({ method: 'POST', url: '/api/v1/scans/batch', payload: body as object }, bearer(token));

  it('registers the lots, then judges the scans in order with per-item answers', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 1000 });
    const [a, b] = [newLotId(), newLotId()];
    const scans = [
      scanBody(a, gateId, cert.text),
      scanBody(b, gateId, cert.text),
      scanBody(a, gateId, 'HTTPS://LZ.DEMO.CN/V/LZ1GARBAGE'),
    ];
    const res = await post({ lots: [lotBody(a), lotBody(b, 50)], scans });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as BatchAnswer;
    expect(answer.lots).toEqual([
      { lotId: a, ok: true, replayed: false },
      { lotId: b, ok: true, replayed: false },
    ]);
    expect(answer.results.map((r) => r.answer?.scanId)).toEqual(scans.map((s) => s.scanId));
    expect(answer.results.map((r) => r.answer?.verdict.outcome)).toEqual(['accept', 'accept', 'review']);
    // the second scan of lot a was judged with the first one already on the lot
    const lot = await t.prisma.lot.findUniqueOrThrow({ where: { id: a }, include: { documents: true } });
    expect(lot.documents).toHaveLength(2);
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(150);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true });
  });

  it('gives each scan the single path’s answer byte for byte, and replays a re-sent batch', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop });
    const lotId = newLotId();
    const scan = scanBody(lotId, gateId, cert.text);
    const first = await post({ lots: [lotBody(lotId)], scans: [scan] });
    const again = await post({ lots: [lotBody(lotId)], scans: [scan] });
    expect(again.json().lots).toEqual([{ lotId, ok: true, replayed: true }]);
    expect(again.json().results[0]).toMatchObject({ ok: true, replayed: true });
    const single = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: scan }, bearer(token));
    expect(single.headers['x-lz-replayed']).toBe('1');
    expect(first.body).toContain(`"answer":${single.body}}`);
    expect(again.body).toContain(`"answer":${single.body}}`);
    expect(await t.prisma.scan.count({ where: { id: scan.scanId } })).toBe(1);
    expect(await t.prisma.lot.count({ where: { id: lotId } })).toBe(1);
  });

  it('refuses a malformed or misplaced item alone, and lets the rest through', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop });
    const lotId = newLotId();
    const res = await post({
      lots: [lotBody(lotId), { id: 'bad lot!', declaration }],
      scans: [
        { scanId: 'not-a-uuid' },
        scanBody('no-such-lot', gateId, cert.text),
        scanBody(lotId, gateId + 1000, cert.text),
        scanBody(lotId, gateId, cert.text),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as BatchAnswer;
    expect(answer.lots[0]).toMatchObject({ ok: true });
    expect(answer.lots[1]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(answer.results.map((r) => r.error?.code ?? r.answer?.verdict.outcome)).toEqual([
      'VALIDATION_FAILED',
      'LOT_NOT_FOUND',
      'GATE_MISMATCH',
      'accept',
    ]);
  });

  it('keeps the ledger whole when lots in one batch compete for a certificate', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 150 });
    const lots = Array.from({ length: 4 }, () => newLotId());
    const res = await post({
      lots: lots.map((id) => lotBody(id)),
      scans: lots.map((id) => scanBody(id, gateId, cert.text)),
    });
    const outcomes = (res.json() as BatchAnswer).results.map((r) => r.answer?.verdict.outcome);
    // 100 kg for the first lot, the 50 kg left for the second (pending, short by 50), nothing for the rest.
    expect(outcomes.filter((o) => o === 'accept')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'pending')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'reject')).toHaveLength(2);
    expect((await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).usedQuantity).toBe(150);
  });

  it('closes the lots the gate closed after the batch’s scans, and takes a re-sent close as done', async () => {
    const cert = await issueTestCertificate(t, { issuerId: coop, quantity: 100 });
    const [short, covered] = [newLotId(), newLotId()];
    const batch = {
      lots: [lotBody(short, 300), lotBody(covered, 100)],
      scans: [scanBody(short, gateId, cert.text)],
      closes: [short, covered, 'no-such-lot', 'bad id!'],
    };
    const answer = (await post(batch)).json() as BatchAnswer;
    // The scan was judged before the close: 100 of 300 kg, so the close finds the lot short.
    expect(answer.results[0]?.answer?.verdict.outcome).toBe('pending');
    expect(answer.closes).toEqual([
      { lotId: short, ok: true, outcome: 'reject' },
      { lotId: covered, ok: true, outcome: 'reject' },
      { lotId: 'no-such-lot', ok: false, error: expect.objectContaining({ code: 'LOT_NOT_FOUND' }) },
      { lotId: null, ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) },
    ]);
    const reasons = async (lotId: string) =>
      (await t.prisma.violation.findMany({ where: { lotId } })).map((v) => v.reason);
    expect(await reasons(short)).toEqual(['INSUFFICIENT_COVERAGE']);
    expect(await reasons(covered)).toEqual(['MISSING']);
    const again = (await post({ scans: [], closes: [short] })).json() as BatchAnswer;
    expect(again.closes).toEqual([{ lotId: short, ok: true, outcome: 'reject' }]);
    expect(await reasons(short)).toEqual(['INSUFFICIENT_COVERAGE']);
  });

  it('refuses more than 500 scans in one batch, and non-devices', async () => {
    const tooMany = await post({ scans: Array.from({ length: 501 }, () => ({})) });
    expect(tooMany.statusCode).toBe(400);
    const anonymous = await t.inject({ method: 'POST', url: '/api/v1/scans/batch', payload: { scans: [] } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('takes the same batch over the socket with an ack', async () => {
    const socket = await connect(base, { token });
    sockets.push(socket);
    const cert = await issueTestCertificate(t, { issuerId: coop });
    const lotId = newLotId();
    const scan = scanBody(lotId, gateId, cert.text);
    const ack = (await socket.emitWithAck('scan:submit-batch', {
      lots: [lotBody(lotId)],
      scans: [scan],
    })) as {
      ok: boolean;
    } & BatchAnswer;
    expect(ack.ok).toBe(true);
    expect(ack.lots).toEqual([{ lotId, ok: true, replayed: false }]);
    expect(ack.results[0]).toMatchObject({ ok: true, answer: { scanId: scan.scanId } });
    const single = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: scan }, bearer(token));
    expect(ack.results[0]!.answer).toEqual(single.json());
    const bad = await socket.emitWithAck('scan:submit-batch', { scans: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('the per-device scan ceiling', () => {
  it('counts scans per device per minute and says when to come back', () => {
    let now = 0;
    const limiter = scanLimiter(() => now, 1000);
    expect(limiter.take('gate-a', 600)).toEqual({ ok: true });
    expect(limiter.take('gate-b', 1000)).toEqual({ ok: true });
    now = 20_000;
    expect(limiter.take('gate-a', 401)).toEqual({ ok: false, retryAfterMs: 40_000 });
    expect(limiter.take('gate-a', 400)).toEqual({ ok: true });
    now = 60_000;
    expect(limiter.take('gate-a', 1000)).toEqual({ ok: true });
  });
});
