/**
 * 台账 export of 100,000 rows on SQLite and PostgreSQL: the streamed CSV and XLSX through the real server (HTTP on
 * loopback, read and discarded as it arrives) against the in-process raw query of the same rows as the peer (one
 * SELECT, every row in memory). Reports time, the heap's peak growth (sampled while it runs) and maxRSS.
 * Run: npm run ledger-export -w bench   (ROWS; DATABASES=sqlite or sqlite,postgresql)
 */
import { resourceUsage } from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openRawSqlite } from '@liangzheng/prisma';
import pg from 'pg';
import { type BenchServer, type DatabaseKind, startBenchServer } from '../scan-ingest/setup.ts';
import { type BulkWriter, type Cell, postgresBulk, sqliteBulk } from '../trace/bulk.ts';

const kinds = (process.env.DATABASES ?? 'sqlite,postgresql').split(',') as DatabaseKind[];
const rows = Number(process.env.ROWS ?? 100_000);
/** 15 March 2026 in Beijing time, the day the rows fall on */
const dayStart = Date.parse('2026-03-14T16:00:00.000Z');

interface Row {
  database: DatabaseKind;
  operation: string;
  rows: number;
  ms: number;
  heapPeakMb: number;
  maxRssMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A collection on demand, so that what is compared is the live heap, not garbage V8 has yet to collect. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/**
 * Runs `work` while sampling the live heap every 250 ms, and once more when it is done while its result is still
 * held (the peer's rows); returns its time and the live heap's peak growth.
 */
async function measured(work: () => Promise<unknown[] | number>) {
  const before = liveHeap();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, liveHeap());
  }, 250);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, liveHeap());
  return { count: typeof result === 'number' ? result : result.length, ms, heapPeak: peak - before };
}

async function writerFor(server: BenchServer): Promise<BulkWriter> {
  return server.kind === 'sqlite'
    ? sqliteBulk(openRawSqlite(server.databaseUrl))
    : postgresBulk(server.databaseUrl);
}

/** 100,000 arrivals at the demo wholesale market over one Beijing day, each with the certificate it showed. */
async function seedLedger(server: BenchServer): Promise<void> {
  const writer = await writerFor(server);
  const certificate = await server.app.prisma.certificate.findFirstOrThrow({ select: { id: true } });
  const marketId = server.demo.markets.wholesale;
  const stallId = server.demo.stalls.a01;
  const batch = 10_000;
  for (let from = 0; from < rows; from += batch) {
    const lots: Cell[][] = [];
    const documents: Cell[][] = [];
    for (let i = from; i < Math.min(rows, from + batch); i++) {
      const id = `ledger-${String(i).padStart(7, '0')}`;
      const openedAt = new Date(dayStart + Math.floor((i * 86_400_000) / rows));
      lots.push([
        id,
        marketId,
        stallId,
        '上海青',
        'vegetable',
        10 + (i % 90),
        'kg',
        `长沙县第${i % 300}蔬菜合作社`,
        '湖南省长沙市长沙县',
        '0731-8000000',
        'judged',
        'accept',
        openedAt,
      ]);
      documents.push([`doc-${id}`, id, 'code', certificate.id, '{}', openedAt]);
    }
    await writer.insert(
      'Lot',
      [
        'id',
        'marketId',
        'stallId',
        'productName',
        'category',
        'quantity',
        'unit',
        'supplier',
        'supplierAddress',
        'supplierContact',
        'status',
        'outcome',
        'openedAt',
      ],
      lots,
    );
    await writer.insert(
      'LotDocument',
      ['id', 'lotId', 'type', 'certificateId', 'fields', 'createdAt'],
      documents,
    );
  }
  await writer.close();
}

/** The export through the server, read as it streams and thrown away: what a client's download costs the server. */
async function httpExport(server: BenchServer, format: 'csv' | 'xlsx'): Promise<number> {
  const login = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'mawangdui_admin', password: server.demo.password }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const url = `${server.base}/api/v1/purchase-ledger?marketId=${server.demo.markets.wholesale}&from=2026-03-15&to=2026-03-15&format=${format}`;
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok) throw new Error(`export ${format}: ${response.status} ${await response.text()}`);
  const reader = response.body!.getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
  }
  return Number(response.headers.get('x-ledger-rows'));
}

const peerSql = `SELECT l."id", l."openedAt", l."productName", l."quantity", l."unit", l."supplier",
  l."supplierAddress", l."supplierContact", l."outcome", s."number", d."certificateId", c."originRegion", c."issuerName"
  FROM "Lot" l LEFT JOIN "Stall" s ON s."id" = l."stallId"
  LEFT JOIN "LotDocument" d ON d."lotId" = l."id" LEFT JOIN "Certificate" c ON c."id" = d."certificateId"
  WHERE l."marketId" = $1 ORDER BY l."openedAt", l."id"`;

/** The peer: the same rows in one raw query, all of them in memory at once. */
async function rawQuery(server: BenchServer): Promise<unknown[]> {
  const marketId = server.demo.markets.wholesale;
  if (server.kind === 'sqlite') {
    const db = openRawSqlite(server.databaseUrl);
    const all = db.prepare(peerSql.replace('$1', '?')).all(marketId);
    db.close();
    return all;
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  const result = await client.query(peerSql, [marketId]);
  await client.end();
  return result.rows;
}

async function benchmark(kind: DatabaseKind): Promise<Row[]> {
  const server = await startBenchServer(kind, 1);
  try {
    await seedLedger(server);
    const results: Row[] = [];
    const runs: [string, () => Promise<unknown[] | number>][] = [
      ['raw query (peer, all rows in memory)', () => rawQuery(server)],
      ['台账 CSV streamed over HTTP', () => httpExport(server, 'csv')],
      ['台账 XLSX streamed over HTTP', () => httpExport(server, 'xlsx')],
    ];
    for (const [operation, run] of runs) {
      const { count, ms, heapPeak } = await measured(run);
      results.push({
        database: kind,
        operation,
        rows: count,
        ms: Math.round(ms),
        heapPeakMb: mb(heapPeak),
        maxRssMb: mb(resourceUsage().maxRSS * 1024),
      });
    }
    return results;
  } finally {
    await server.close();
  }
}

const table: Row[] = [];
for (const kind of kinds) table.push(...(await benchmark(kind)));
console.log(
  `\n台账 export, ${rows.toLocaleString('en')} rows (heap: the live heap's peak growth, sampled after a forced collection every 250 ms; maxRSS: the process so far)\n`,
);
console.log('| database | operation | rows | time ms | heap peak Δ MB | maxRSS MB |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of table)
  console.log(`| ${r.database} | ${r.operation} | ${r.rows} | ${r.ms} | ${r.heapPeakMb} | ${r.maxRssMb} |`);
