import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_ROWS_HEADER } from '../../src/purchase-ledger/purchase-ledger.routes.ts';
import { buildTestApp, listenOnLoopback, type TestApp, testDbKind } from '../helper.ts';

const ROWS = 100_000;
/**
 * What the export may add to the live heap: a page of lots and its text. Streamed, it adds ~4 MB (CSV) and
 * ~1 MB (XLSX) here; collecting the 100,000 rows before writing them (the ledger's row objects alone) adds ~20 MB.
 */
const HEAP_BOUND_BYTES = 12 * 1024 * 1024;

let t: TestApp;
let baseUrl: string;

/**
 * 100,000 arrivals at the wholesale market, 864 ms apart over 15 March (Beijing time), inserted by one statement
 * per database (setup, not what is tested: Prisma would take minutes).
 */
async function seedLots(marketId: number, stallId: number) {
  const columns = `"id", "marketId", "stallId", "productName", "category", "quantity", "unit", "supplier",
    "supplierAddress", "supplierContact", "status", "outcome", "openedAt"`;
  const values = (
    i: string,
    openedAt: string,
  ) => `'ledger-' || ${i}, ${marketId}, ${stallId}, '上海青', 'vegetable',
    10 + ${i} % 90, 'kg', '长沙县第' || (${i} % 300) || '蔬菜合作社', '湖南省长沙市长沙县', '0731-8000000', 'judged',
    'accept', ${openedAt}`;
  if (testDbKind === 'postgresql') {
    await t.prisma.$executeRawUnsafe(
      `INSERT INTO "Lot" (${columns}) SELECT ${values('i', `TIMESTAMP '2026-03-14 16:00:00' + i * INTERVAL '864 milliseconds'`)}
       FROM generate_series(0, ${ROWS - 1}) AS i`,
    );
    return;
  }
  // Prisma's SQLite adapter stores DateTime as ISO text with an offset
  const start = Date.parse('2026-03-14T16:00:00.000Z') / 1000;
  await t.prisma.$executeRawUnsafe(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
     INSERT INTO "Lot" (${columns})
     SELECT ${values('i', `strftime('%Y-%m-%dT%H:%M:%f', ${start} + i * 0.864, 'unixepoch') || '+00:00'`)} FROM n`,
  );
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  await seedLots(t.demo!.markets.wholesale, t.demo!.stalls.a01);
  baseUrl = await listenOnLoopback(t);
}, 120_000);
afterAll(async () => t?.close());

/** A collection on demand, so that what is sampled is the live heap, not garbage V8 has yet to collect. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/** Reads the response without keeping it, counting line ends. */
async function drain(response: Response) {
  let lines = 0;
  let bytes = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 0x0a) lines++;
  }
  return { lines, bytes };
}

/** Runs `work` (request and read) while sampling the live heap every 100 ms; returns its peak growth. */
async function heapGrowthOf<T>(work: () => Promise<T>): Promise<T & { heapGrowth: number }> {
  const before = liveHeap();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, liveHeap());
  }, 100);
  try {
    const result = await work();
    return { ...result, heapGrowth: Math.max(peak, liveHeap()) - before };
  } finally {
    clearInterval(sampler);
  }
}

describe('a 100,000-row 台账 export', () => {
  it('streams as CSV with its row count up front, and the heap stays bounded', async () => {
    const headers = await t.login('mawangdui_admin', t.demo!.password);
    const url = `${baseUrl}/api/v1/purchase-ledger?marketId=${t.demo!.markets.wholesale}&from=2026-03-15&to=2026-03-15`;
    const { response, lines, bytes, heapGrowth } = await heapGrowthOf(async () => {
      const response = await fetch(url, { headers });
      return { response, ...(await drain(response)) };
    });
    expect(response.status).toBe(200);
    expect(response.headers.get(LEDGER_ROWS_HEADER)).toBe(String(ROWS));
    expect(response.headers.get('content-length')).toBeNull();
    expect(lines).toBe(ROWS + 1);
    expect(bytes).toBeGreaterThan(HEAP_BOUND_BYTES);
    expect(heapGrowth).toBeLessThan(HEAP_BOUND_BYTES);
  }, 300_000);

  it('streams as XLSX in bounded heap too', async () => {
    const headers = await t.login('mawangdui_admin', t.demo!.password);
    const url = `${baseUrl}/api/v1/purchase-ledger?marketId=${t.demo!.markets.wholesale}&from=2026-03-15&to=2026-03-15&format=xlsx`;
    const { response, bytes, heapGrowth } = await heapGrowthOf(async () => {
      const response = await fetch(url, { headers });
      return { response, ...(await drain(response)) };
    });
    expect(response.status).toBe(200);
    expect(bytes).toBeGreaterThan(100_000);
    expect(heapGrowth).toBeLessThan(HEAP_BOUND_BYTES);
  }, 300_000);
});
