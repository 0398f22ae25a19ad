import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningAgent, startAgent } from '@liangzheng/gate-agent/main';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demo-server.ts';

/**
 * The real server (SQLite file, HTTP and socket.io on loopback) and the real agent with its status page:
 * arrivals entered by hand on the page reach the server through the agent's journal and uploader, and one that
 * never gets a scan is judged MISSING by the server's sweep.
 */
let server: DemoServer;
let app: FastifyInstance;
let prisma: DemoServer['prisma'];
let agent: RunningAgent;
let page: string;
let token = '';
/** The server's clock runs this far ahead of real time once the test moves it past the market's limit. */
let serverAhead = 0;

beforeAll(async () => {
  server = await startDemoServer({
    name: 'lz-agent-manual-',
    clock: { now: () => new Date(Date.now() + serverAhead) },
  });
  ({ app, prisma } = server);
  agent = await startAgent(await server.agentConfig(), { log: () => {} });
  page = `http://127.0.0.1:${agent.statusPort}`;
  const html = await (await fetch(`${page}/`)).text();
  token = /<meta name="gate-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await server?.close();
});

async function enter(path: string, body: unknown): Promise<{ lotId: string; scanId: string | null }> {
  const response = await fetch(`${page}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gate-token': token },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer as { lotId: string; scanId: string | null };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const declaration = {
  productName: '大白菜',
  productCode: 1001,
  category: 'vegetable',
  quantity: 10,
  unit: 'kg',
};

describe('arrivals entered by hand at the gate', () => {
  it('reach the server, and the one never scanned is swept to MISSING', async () => {
    const scanned = await enter('/manual/lots', { plate: '湘A·10002', declaration });
    const certificate = await prisma.certificate.findFirstOrThrow({ where: { status: 'valid' } });
    const read = await enter('/manual/codes', { text: certificate.code });
    expect(read.lotId).toBe(scanned.lotId);
    // journaled after the last scan: no scan will ever carry it to the server
    const unscanned = await enter('/manual/lots', { plate: '湘A·10001', supplier: '老王', declaration });
    const none = await enter('/manual/lots', { declaration, certificate: { kind: 'none' } });
    // A real JPEG: the server checks a photo is an image before it keeps it.
    const photo = readFileSync(
      join(import.meta.dirname, '../../domain/test/fixtures/photos/testsrc-64x48.jpg'),
    ).toString('base64');
    const paper = await enter('/manual/lots', {
      supplier: '望城合作社',
      declaration,
      certificate: {
        kind: 'paper',
        photo,
        fields: {
          productName: '大白菜',
          quantity: 10,
          unit: 'kg',
          origin: '湖南省长沙市望城区',
          issuerName: '望城蔬菜合作社',
          contact: '0731-88888888',
          issuedOn: new Date().toISOString().slice(0, 10),
          basis: '自行检测合格',
        },
      },
    });

    await until(() => {
      const counts = agent.journal.counts();
      return agent.journal.pendingLotCount() === 0 && counts.pending + counts.sent === 0;
    }, 'the agent uploads every lot and the scan');

    const lots = await prisma.lot.findMany({
      where: { id: { in: [unscanned.lotId, scanned.lotId, none.lotId, paper.lotId] } },
      include: { documents: true },
    });
    const byId = new Map(lots.map((lot) => [lot.id, lot]));
    expect(byId.get(unscanned.lotId)).toMatchObject({ status: 'open', plate: '湘A·10001', supplier: '老王' });
    expect(byId.get(scanned.lotId)?.documents.map((d) => d.type)).toEqual(['code']);
    expect(byId.get(none.lotId)).toMatchObject({ noCertificate: true, outcome: 'reject' });
    const paperLot = byId.get(paper.lotId);
    expect(paperLot).toMatchObject({ outcome: 'review', supplier: '望城合作社' });
    expect(Buffer.from(paperLot?.documents[0]?.photo ?? []).toString('base64')).toBe(photo);
    const scan = await prisma.scan.findUniqueOrThrow({ where: { id: read.scanId ?? '' } });
    expect(scan).toMatchObject({ lotId: scanned.lotId, source: 'manual' });

    // a small limit for the test's market, and the server's clock past it
    const market = await prisma.gate.findUniqueOrThrow({
      where: { id: byId.get(unscanned.lotId)?.gateId ?? 0 },
    });
    await prisma.market.update({ where: { id: market.marketId }, data: { openLotLimitMinutes: 1 } });
    serverAhead = 2 * 60_000;
    const swept = await app.scanFlow.sweep();
    expect(swept).toContain(unscanned.lotId);
    expect(swept).not.toContain(scanned.lotId);
    const missing = await prisma.lot.findUniqueOrThrow({
      where: { id: unscanned.lotId },
      include: { verdicts: { include: { reasons: true } } },
    });
    expect(missing.outcome).toBe('reject');
    expect(missing.verdicts.flatMap((v) => v.reasons.map((r) => r.code))).toContain('MISSING');
    expect(await prisma.violation.count({ where: { lotId: unscanned.lotId } })).toBe(1);
  }, 60_000);

  it('closes a truck short of its quantity (本车扫完): the gate says so at once, the server after the scan', async () => {
    const status = async () =>
      (await (await fetch(`${page}/status`)).json()) as { last: object; snapshot: object | null };
    const certificate = await prisma.certificate.findFirstOrThrow({
      where: { status: 'valid', kind: 'producer', unit: 'kg' },
      orderBy: { quantity: 'desc' },
    });
    const left = certificate.quantity - certificate.usedQuantity;
    const truck = {
      productName: certificate.productName,
      productCode: certificate.productCode,
      category: certificate.category,
      quantity: certificate.quantity + 50,
      unit: 'kg',
    };
    const lot = await enter('/manual/lots', { plate: '湘A·10003', declaration: truck });
    const read = await enter('/manual/codes', { text: certificate.code });
    expect(read.lotId).toBe(lot.lotId);
    // Offline the agent counts the whole certificate, the server what is left of it: short either way, so pending.
    await until(async () => (await status()).snapshot !== null, 'the agent has its trust snapshot');
    expect((await status()).last).toMatchObject({
      outcome: 'pending',
      progress: { zh: expect.stringContaining('已核') },
    });

    const closed = (await enter('/manual/close', {})) as unknown as {
      lotId: string;
      verdict: { outcome: string; reasons: { code: string }[] };
    };
    expect(closed.lotId).toBe(lot.lotId);
    expect(closed.verdict.outcome).toBe('reject');
    expect(closed.verdict.reasons[0]?.code).toBe('INSUFFICIENT_COVERAGE');
    // Nothing is open any more: a second 本车扫完 is refused with a code, in both languages.
    const again = await fetch(`${page}/manual/close`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gate-token': token },
      body: '{}',
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: unknown }).error).toMatchObject({
      code: 'NO_OPEN_LOT',
      zh: expect.any(String),
    });

    await until(() => agent.journal.pendingCloseCount() === 0, 'the agent sends the close after the scan');
    const onServer = await prisma.lot.findUniqueOrThrow({
      where: { id: lot.lotId },
      include: { violations: true, documents: true },
    });
    expect(onServer).toMatchObject({ status: 'closed', outcome: 'reject' });
    expect(onServer.violations.map((v) => v.reason)).toEqual(['INSUFFICIENT_COVERAGE']);
    expect(onServer.documents.map((d) => d.quantityClaim)).toEqual([left]);
  }, 60_000);
});
