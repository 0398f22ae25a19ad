import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp } from '../helper.ts';
import { addGateDevice, bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';
import { connect, nextEvent } from './socket-client.ts';

/** The per-minute limit of this app: a device's handshake, HTTP requests and socket messages count together. */
const limit = 6;

describe('socket.io rate limit', () => {
  let t: TestApp;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ demo: true, config: { rateLimitPerMinute: limit } });
    base = await listenOnLoopback(t);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t?.close();
  });

  const open = async (token: string) => {
    const socket = await connect(base, { token });
    sockets.push(socket);
    return socket;
  };

  it('answers every message under the device’s limit, refuses the next ones clearly, and leaves other devices alone', async () => {
    const demo = t.demo!;
    const north = await t.prisma.gate.findFirstOrThrow({
      where: { marketId: demo.markets.wholesale, id: { not: demo.gates.wholesaleEast } },
    });
    const otherToken = await addGateDevice(t, north.id, 'limited-peer');
    const gate = await open(demo.deviceToken);
    const peer = await open(otherToken);

    // The handshake, 1 HTTP request and 4 socket messages: the device's whole allowance, each answered by its handler.
    const cert = await issueTestCertificate(t, { issuerId: demo.issuers.coop });
    const lotId = await openLot(t, demo.deviceToken);
    const body = scanBody(lotId, demo.gates.wholesaleEast, cert.text);
    expect(await gate.emitWithAck('scan:submit', body)).toMatchObject({
      ok: true,
      answer: { verdict: { outcome: 'accept' } },
    });
    expect(await gate.emitWithAck('scan:submit', { scanId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await gate.emitWithAck('scan:submit-batch', { scans: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await gate.emitWithAck('watch', { room: { kind: 'gate', gateId: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const refused = await gate.emitWithAck(
      'scan:submit',
      scanBody(lotId, demo.gates.wholesaleEast, cert.text),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(refused.error.retryAfterMs).toBeGreaterThan(0);
    expect(refused.error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await gate.emitWithAck('scan:submit-batch', { scans: [] })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    const told = nextEvent<{ event: string; error: { code: string } }>(gate, 'rate:limited');
    gate.emit('watch', { room: { kind: 'gate', gateId: 1 } });
    expect(await told).toMatchObject({ event: 'watch', error: { code: 'RATE_LIMITED' } });

    // The socket used up the same allowance HTTP counts.
    const http = await t.inject({ method: 'GET', url: '/api/v1/trust' }, bearer(demo.deviceToken));
    expect(http.statusCode).toBe(429);
    expect(http.json().error.code).toBe('RATE_LIMITED');

    expect(await peer.emitWithAck('scan:submit', { scanId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const peerHttp = await t.inject({ method: 'GET', url: '/api/v1/trust' }, bearer(otherToken));
    expect(peerHttp.statusCode, peerHttp.body).toBe(200);
  });

  it('counts handshakes against the address, as HTTP counts unauthenticated requests', async () => {
    const outcomes: string[] = [];
    for (let attempt = 0; attempt <= limit; attempt += 1) {
      const result = await connect(base, { token: 'not-a-token' }).then(
        (socket) => {
          sockets.push(socket);
          return 'connected';
        },
        (err: Error) => err.message,
      );
      outcomes.push(result);
    }
    expect(outcomes).toContain('UNAUTHENTICATED');
    expect(outcomes.at(-1)).toBe('RATE_LIMITED');
    expect(outcomes).not.toContain('connected');
  });

  it('counts a device’s handshake against the device, not the allowance anonymous requests from its address use up (security finding 8)', async () => {
    for (let i = 0; i <= limit; i += 1) await t.inject({ method: 'GET', url: '/api/v1/trust' });
    const anonymous = await t.inject({ method: 'GET', url: '/api/v1/trust' });
    expect(anonymous.statusCode).toBe(429);
    const token = await addGateDevice(t, t.demo!.gates.wholesaleEast, 'reconnecting');
    await open(token);
    // the handshake took one of the device's own requests
    const codes: number[] = [];
    for (let i = 0; i < limit; i += 1) {
      codes.push((await t.inject({ method: 'GET', url: '/api/v1/trust' }, bearer(token))).statusCode);
    }
    expect(codes).toEqual([...Array(limit - 1).fill(200), 429]);
  });

  it('refuses only the messages of a burst that are over the limit (security finding 12)', async () => {
    const token = await addGateDevice(t, t.demo!.gates.wholesaleEast, 'bursting');
    const gate = await open(token);
    const answers = await Promise.all(
      Array.from({ length: limit }, () => gate.emitWithAck('watch', { room: { kind: 'gate', gateId: 1 } })),
    );
    const codes = answers.map((answer: { error: { code: string } }) => answer.error.code);
    // the handshake took one; the burst gets the other limit − 1, in the order sent
    expect(codes).toEqual([...Array(limit - 1).fill('FORBIDDEN'), 'RATE_LIMITED']);
  });
});

describe('socket.io handshakes behind a trusted proxy (security finding 8)', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({ config: { rateLimitPerMinute: limit, trustProxy: ['loopback'] } });
    base = await listenOnLoopback(t);
  }, 60_000);
  afterAll(async () => t?.close());

  const guess = (forwardedFor: string) =>
    connect(base, { token: 'not-a-token', headers: { 'x-forwarded-for': forwardedFor } }).then(
      (socket) => {
        socket.close();
        return 'connected';
      },
      (err: Error) => err.message,
    );

  it('counts an anonymous handshake against the client the proxy names, not against the proxy', async () => {
    const outcomes: string[] = [];
    for (let attempt = 0; attempt <= limit; attempt += 1) outcomes.push(await guess('203.0.113.7'));
    expect(outcomes.at(-1)).toBe('RATE_LIMITED');
    expect(await guess('198.51.100.9')).toBe('UNAUTHENTICATED');
  });
});
