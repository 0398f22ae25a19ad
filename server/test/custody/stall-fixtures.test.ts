import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';

/**
 * The answers the console's stall screen test replays (console/test/fixtures/stall-exchanges.json), taken from the
 * real app on the demo data. `LZ_RECORD_FIXTURES=1` writes them; every other run checks that the recorded answers
 * still have the shape and status the server gives now, so the console is never tested against a stale API.
 */
const fixture = path.resolve(import.meta.dirname, '../../../console/test/fixtures/stall-exchanges.json');

interface Exchange {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  response: { status: number; body: unknown };
}

/** Types in place of values: ids and times differ from run to run, the shape must not. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return value === null ? null : typeof value;
}

describe('recorded stall-screen answers', () => {
  let t: TestApp;
  let exchanges: Exchange[];

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    const stall = t.demo!.stalls.a01;
    const item = `lot:demo-lot-a01-cabbage:${t.demo!.certificateIds[0]}`;
    const requests: Omit<Exchange, 'response'>[] = [
      { name: 'me', method: 'GET', path: '/api/v1/auth/me' },
      { name: 'inventory', method: 'GET', path: `/api/v1/stalls/${stall}/inventory` },
      { name: 'transformations', method: 'GET', path: `/api/v1/stalls/${stall}/transformations` },
      { name: 'certificates', method: 'GET', path: '/api/v1/certificates?limit=100' },
      {
        name: 'overdraw',
        method: 'POST',
        path: `/api/v1/stalls/${stall}/transformations`,
        body: {
          kind: 'repack',
          inputs: [{ itemId: item, quantity: 5000 }],
          outputs: [{ quantity: 50, unit: 'kg' }],
        },
      },
      {
        name: 'repack',
        method: 'POST',
        path: `/api/v1/stalls/${stall}/transformations`,
        body: {
          kind: 'repack',
          inputs: [{ itemId: item, quantity: 50 }],
          outputs: [
            { quantity: 25, unit: 'kg', keep: false },
            { quantity: 20, unit: 'kg', keep: false },
          ],
        },
      },
    ];
    exchanges = [];
    for (const request of requests) {
      const res = await t.inject(
        { method: request.method, url: request.path, ...(request.body ? { payload: request.body } : {}) },
        vendor,
      );
      exchanges.push({ ...request, response: { status: res.statusCode, body: res.json() } });
    }
    if (process.env.LZ_RECORD_FIXTURES === '1')
      writeFileSync(fixture, `${JSON.stringify(exchanges, null, 2)}\n`);
  }, 120_000);
  afterAll(async () => t?.close());

  it('match what the server answers now, status and shape', () => {
    const recorded = JSON.parse(readFileSync(fixture, 'utf8')) as Exchange[];
    expect(recorded.map((e) => [e.name, e.method, e.response.status])).toEqual(
      exchanges.map((e) => [e.name, e.method, e.response.status]),
    );
    for (const [i, exchange] of exchanges.entries()) {
      expect(shapeOf(recorded[i]!.response.body), exchange.name).toEqual(shapeOf(exchange.response.body));
    }
  });
});
