/**
 * Trace and recall on a synthetic province: ≥ 200,000 producer certificates, ≥ 1,000,000 lots and repack chains
 * six deep, on SQLite and PostgreSQL. Reports p50/p99 of trace up (a depth-6 repack to its producer) and trace
 * down (a producer to every repack, lot and scan below it) against the 50 ms target, with raw Ed25519 verify
 * measured in the same run as the machine's yardstick (speed here varies 3× between days).
 * Run: npm run trace -w bench   (PRODUCERS, LOTS_PER, CHAINS, SAMPLES; DATABASES=sqlite or sqlite,postgresql)
 */

import { openRawSqlite } from '@liangzheng/prisma';
import { traceCertificate } from '@liangzheng/server/trace/trace-service';
import { ed25519VerifiesPerSecond } from '../ed25519-yardstick.ts';
import { type DatabaseKind, startBenchServer } from '../scan-ingest/setup.ts';
import { type BulkWriter, postgresBulk, sqliteBulk } from './bulk.ts';
import { meterCpu } from './cpu-meter.ts';
import {
  type RepackLoad,
  repackClientThread,
  repackLoad,
  session,
  stockStall,
  timedRecall,
} from './custody-load.ts';
import { buildProvince, type Province, placesOf, type World } from './province.ts';

const kinds = (process.env.DATABASES ?? 'sqlite,postgresql').split(',') as DatabaseKind[];
const size = {
  producerCertificates: Number(process.env.PRODUCERS ?? 200_000),
  lotsPerCertificate: Number(process.env.LOTS_PER ?? 5),
  chainRoots: Number(process.env.CHAINS ?? 2_000),
  chainDepth: 6,
  scanEvery: 5,
  recallDescendants: 1_000,
  recalls: Number(process.env.RECALLS ?? 3),
};
const repackSeconds = Number(process.env.SECONDS ?? 5);
const recallTargetMs = 1_000;
const repackTargetPerSecond = 500;
const samples = Number(process.env.SAMPLES ?? 200);
const traceTargetMs = 50;

export interface Row {
  database: DatabaseKind;
  operation: string;
  samples: number;
  p50: number;
  p99: number;
  /** the target p99, where there is one */
  target?: number;
}

/** A throughput row: how many per second, against a floor where there is one. */
export interface RateRow {
  database: DatabaseKind;
  operation: string;
  /** CPU milliseconds per repack done: this process (server and load client), the database server */
  cpu: { nodeMs: number; databaseMs: number };
  done: number;
  refused: number;
  perSecond: number;
  p50: number;
  p99: number;
  floor?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function timed(
  count: number,
  run: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function issuersAndMarkets(
  bulk: BulkWriter,
  server: Awaited<ReturnType<typeof startBenchServer>>,
): Promise<World> {
  const prisma = server.app.prisma;
  const counties = (await prisma.region.findMany({ where: { level: 'county' }, select: { code: true } })).map(
    (r) => r.code,
  );
  const issuers = Array.from({ length: 2_000 }, (_, i) => ({
    id: 100_000 + i,
    name: `合成生产者 ${i + 1}`,
    regionCode: counties[i % counties.length] ?? '430102',
  }));
  const now = new Date();
  await bulk.insert(
    'Issuer',
    [
      'id',
      'kind',
      'name',
      'subjectId',
      'subjectIdKind',
      'contact',
      'regionCode',
      'creditGrade',
      'active',
      'createdAt',
    ],
    issuers.map((issuer) => [
      issuer.id,
      'producer',
      issuer.name,
      `BENCH${issuer.id}`,
      'other',
      '13800000000',
      issuer.regionCode,
      'B',
      true,
      now,
    ]),
  );
  return { issuers, ...(await placesOf(prisma)), until: now };
}

/** Repacks at stall A-01 over real HTTP: 8 writers on their own items, then 20 writers on one item. */
async function repacks(
  kind: DatabaseKind,
  server: Awaited<ReturnType<typeof startBenchServer>>,
  bulk: BulkWriter,
): Promise<RateRow[]> {
  const { demo } = server;
  const market = await server.app.prisma.market.findUniqueOrThrow({ where: { id: demo.markets.wholesale } });
  const stocked = await stockStall(
    bulk,
    {
      marketId: demo.markets.wholesale,
      gateId: demo.gates.wholesaleEast,
      stallId: demo.stalls.a01,
      issuerId: demo.issuers.coop,
      regionCode: market.regionCode,
    },
    64,
    100_000,
  );
  const vendor = await session(server.base, 'vendor_a01');
  const inventory = (await (
    await fetch(`${server.base}/api/v1/stalls/${demo.stalls.a01}/inventory`, { headers: vendor })
  ).json()) as { id: string; certificateId: string }[];
  const stock = inventory.filter((item) => stocked.has(item.certificateId)).map((item) => item.id);
  if (stock.length !== 64) throw new Error(`expected 64 stocked items, found ${stock.length}`);
  const backends = async () =>
    kind === 'postgresql'
      ? (
          await server.app.prisma.$queryRaw<{ pid: number }[]>`
            SELECT pid FROM pg_stat_activity WHERE datname = current_database()`
        ).map((row) => Number(row.pid))
      : [];
  async function metered(load: () => Promise<RepackLoad>) {
    const stop = await meterCpu(backends);
    const done = await load();
    const used = await stop();
    const per = Math.max(done.done, 1);
    return { ...done, cpu: { nodeMs: used.nodeMs / per, databaseMs: used.databaseMs / per } };
  }
  const load = { base: server.base, vendor, stallId: demo.stalls.a01 };
  const spread = await metered(() =>
    repackLoad(load.base, load.vendor, load.stallId, stock, 8, repackSeconds, false),
  );
  const apart = await repackClientThread({
    ...load,
    itemIds: stock,
    writers: 8,
    seconds: repackSeconds,
    oneSource: false,
  });
  const spreadApart = await metered(() => apart.run());
  const contended = await metered(() =>
    repackLoad(load.base, load.vendor, load.stallId, stock.slice(1), 20, repackSeconds, true),
  );
  return [
    {
      database: kind,
      operation: 'repacks, 8 writers on their own items',
      ...spread,
      floor: repackTargetPerSecond,
    },
    {
      database: kind,
      operation: 'repacks, 8 writers on their own items, the client in its own thread',
      ...spreadApart,
      floor: repackTargetPerSecond,
    },
    { database: kind, operation: 'repacks, 20 writers on one source item', ...contended },
  ];
}

const rates: RateRow[] = [];

async function measure(kind: DatabaseKind): Promise<Row[]> {
  const server = await startBenchServer(kind, 1);
  const raw = kind === 'sqlite' ? openRawSqlite(server.databaseUrl) : undefined;
  const bulk = raw ? sqliteBulk(raw) : await postgresBulk(server.databaseUrl);
  const rows: Row[] = [];
  try {
    const world = await issuersAndMarkets(bulk, server);
    const started = performance.now();
    let last = 0;
    const province: Province = await buildProvince(bulk, world, size, (done, total) => {
      const pct = Math.floor((done / total) * 100);
      if (pct >= last + 10 || done === total) {
        last = pct;
        process.stderr.write(`  ${kind}: ${pct}% of the province written\n`);
      }
    });
    if (kind === 'postgresql') await server.app.prisma.$executeRawUnsafe('ANALYZE');
    const lots = await server.app.prisma.lot.count();
    process.stderr.write(
      `  ${kind}: ${province.rows.toLocaleString()} rows (${lots.toLocaleString()} lots) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const db = server.app.prisma;
    const all = { kind: 'all' } as const;
    const pick = (list: string[], i: number) => list[(i * 7919) % list.length]!;
    const up = await timed(samples, (i) => traceCertificate(db, pick(province.chainLeaves, i), all));
    rows.push({
      database: kind,
      operation: 'trace up (depth 6 → producer)',
      samples,
      ...up,
      target: traceTargetMs,
    });
    const down = await timed(samples, (i) => traceCertificate(db, pick(province.chainRoots, i), all));
    rows.push({
      database: kind,
      operation: 'trace down (producer → 38 repacks, lots, scans)',
      samples,
      ...down,
      target: traceTargetMs,
    });
    const [firstWide] = province.wideRoots;
    const wide = await timed(20, () => traceCertificate(db, firstWide!.certificateId, all));
    rows.push({
      database: kind,
      operation: `trace down (producer → ${firstWide!.descendants.toLocaleString()} descendants)`,
      samples: 20,
      ...wide,
      target: traceTargetMs,
    });
    const regulator = await session(server.base, 'hunan_regulator');
    const recallTimes: number[] = [];
    for (const root of province.wideRoots) {
      recallTimes.push(
        await timedRecall(
          server.base,
          server.demo.deviceToken,
          regulator,
          root.certificateId,
          root.descendants,
        ),
      );
    }
    recallTimes.sort((a, b) => a - b);
    rows.push({
      database: kind,
      operation: `recall (producer → ${firstWide!.descendants.toLocaleString()} descendants, until a gate's socket is told of all)`,
      samples: recallTimes.length,
      p50: percentile(recallTimes, 50),
      p99: percentile(recallTimes, 99),
      target: recallTargetMs,
    });
    rates.push(...(await repacks(kind, server, bulk)));
    const check = await traceCertificate(db, province.chainLeaves[0]!, all);
    if (!check.ok || check.trace.certificates.length !== size.chainDepth + 1) {
      throw new Error(`trace up of a depth-${size.chainDepth} chain found the wrong certificates`);
    }
  } finally {
    await bulk.close();
    raw?.close();
    await server.close();
  }
  return rows;
}

const ms = (value: number) => value.toFixed(2);

async function main(): Promise<void> {
  const yardstick = ed25519VerifiesPerSecond();
  const rows: Row[] = [];
  for (const kind of kinds) rows.push(...(await measure(kind)));
  console.log(`\nraw Ed25519 verify (node:crypto, one core, same run): ${yardstick.toLocaleString()}/s`);
  console.log(
    `province: ${size.producerCertificates.toLocaleString()} producer certificates, ${(size.producerCertificates * size.lotsPerCertificate).toLocaleString()}+ lots, ${size.chainRoots.toLocaleString()} repack chains ${size.chainDepth} deep\n`,
  );
  console.log('| database | operation | samples | p50 ms | p99 ms | target p99 | p99 / target |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const ratio = row.target ? `${((row.p99 / row.target) * 100).toFixed(0)}%` : '—';
    console.log(
      `| ${row.database} | ${row.operation} | ${row.samples} | ${ms(row.p50)} | ${ms(row.p99)} | ${row.target ? `${row.target} ms` : '—'} | ${ratio} |`,
    );
  }
  console.log(`\nrepacks over HTTP, ${repackSeconds} s each, 1 kg into one signed 样式二 certificate:\n`);
  console.log(
    '| database | load | done | refused | per second | p50 ms | p99 ms | floor | of floor | CPU ms/repack: node | CPU ms/repack: database |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rates) {
    const ofFloor = row.floor ? `${((row.perSecond / row.floor) * 100).toFixed(0)}%` : '—';
    console.log(
      `| ${row.database} | ${row.operation} | ${row.done} | ${row.refused} | ${row.perSecond.toFixed(0)} | ${ms(row.p50)} | ${ms(row.p99)} | ${row.floor ? `${row.floor}/s` : '—'} | ${ofFloor} | ${row.cpu.nodeMs.toFixed(2)} | ${row.database === 'postgresql' ? row.cpu.databaseMs.toFixed(2) : '—'} |`,
    );
  }
}

await main();
