import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

/**
 * The answers the console's trace and figures test replays (console/test/fixtures/regulator-exchanges.json),
 * taken from the real app on the demo data as 长沙's regulator reads them. `LZ_RECORD_FIXTURES=1` writes them;
 * every other run checks that the recorded answers still have the status and shape the server gives now, so the
 * console is never tested against a stale API.
 */
const fixture = path.resolve(import.meta.dirname, '../../../console/test/fixtures/regulator-exchanges.json');

interface Exchange {
  name: string;
  path: string;
  response: { status: number; body: unknown };
}

/** Types in place of values: ids and times differ from run to run, the shape must not. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return value === null ? null : typeof value;
}

/** Today's trucks at the demo gate: one accepted, one rejected for re-use, one still waiting for its certificate. */
async function arrivals(t: TestApp) {
  const device = bearer(t.demo!.deviceToken);
  const gate = t.demo!.gates.wholesaleEast;
  const scan = (lotId: string, text: string) =>
    t.inject({ method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gate, text) }, device);
  const certificate = await issueTestCertificate(t, { issuerId: t.demo!.issuers.farm, quantity: 100 });
  await scan(await openLot(t, t.demo!.deviceToken, { quantity: 100 }), certificate.text);
  await scan(await openLot(t, t.demo!.deviceToken, { quantity: 100 }), certificate.text);
  await openLot(t, t.demo!.deviceToken);
}

describe('recorded regulator trace and figures answers', () => {
  let t: TestApp;
  let exchanges: Exchange[];

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    await arrivals(t);
    const regulator = await t.login(t.demo!.users.regulator, t.demo!.password);
    const ids = t.demo!.certificateIds;
    // The demo's cabbage from the cooperative, and the repack a stall made of it.
    const producer = ids[0]!;
    const repack = ids.at(-1)!;
    const requests: Omit<Exchange, 'response'>[] = [
      { name: 'trace-producer', path: `/api/v1/certificates/${producer}/trace` },
      { name: 'trace-repack', path: `/api/v1/certificates/${repack}/trace` },
      // the day before the demo's arrivals has no lots: a gap on the chart
      { name: 'figures-days', path: '/api/v1/figures?from=2026-03-13&to=2026-03-15&period=day' },
    ];
    exchanges = [];
    for (const request of requests) {
      const res = await t.inject({ method: 'GET', url: request.path }, regulator);
      exchanges.push({ ...request, response: { status: res.statusCode, body: res.json() } });
    }
    if (process.env.LZ_RECORD_FIXTURES === '1')
      writeFileSync(fixture, `${JSON.stringify(exchanges, null, 2)}\n`);
  }, 120_000);
  afterAll(async () => t?.close());

  it('are answered 200, with a repack under the producer and lots on the traced days', () => {
    for (const exchange of exchanges) expect(exchange.response.status, exchange.name).toBe(200);
    const trace = exchanges[0]!.response.body as { certificates: { depth: number }[] };
    expect(trace.certificates.some((c) => c.depth > 0)).toBe(true);
    const figures = exchanges[2]!.response.body as { periods: { lots: number }[] };
    expect(figures.periods.map((p) => p.lots > 0)).toEqual([true, false, true]);
  });

  it('match what the server answers now, status and shape', () => {
    const recorded = JSON.parse(readFileSync(fixture, 'utf8')) as Exchange[];
    // the traced certificates' ids are new on every run: names and statuses, not paths
    expect(recorded.map((e) => [e.name, e.response.status])).toEqual(
      exchanges.map((e) => [e.name, e.response.status]),
    );
    for (const [i, exchange] of exchanges.entries()) {
      expect(shapeOf(recorded[i]!.response.body), exchange.name).toEqual(shapeOf(exchange.response.body));
    }
  });
});
