/**
 * The regulator dashboard's aggregates for a whole province over 30 days, on the synthetic province of bench/trace
 * (≥ 1,000,000 lots in its last 30 days), on SQLite and PostgreSQL: p50/p99 of the figures a dashboard load asks
 * for (per day, and per day with a cut per market) against the 200 ms target.
 * Run: npx tsx bench/figures/main.ts   (PRODUCERS, LOTS_PER, SAMPLES; DATABASES=sqlite or sqlite,postgresql)
 */

import { addDays, localDay } from '@liangzheng/domain/time/local-day';
import { openRawSqlite } from '@liangzheng/prisma';
import { figures } from '@liangzheng/server/figures/figures-service';
import { type DatabaseKind, startBenchServer } from '../scan-ingest/setup.ts';
import { postgresBulk, sqliteBulk } from '../trace/bulk.ts';
import { buildProvince, type World } from '../trace/province.ts';

const kinds = (process.env.DATABASES ?? 'sqlite').split(',') as DatabaseKind[];
const size = {
  producerCertificates: Number(process.env.PRODUCERS ?? 200_000),
  lotsPerCertificate: Number(process.env.LOTS_PER ?? 5),
  chainRoots: 100,
  chainDepth: 6,
  scanEvery: 5,
  recallDescendants: 10,
  recalls: 1,
};
const samples = Number(process.env.SAMPLES ?? 20);
const targetMs = 200;
const timeZone = 'Asia/Shanghai';

interface Row {
  database: DatabaseKind;
  operation: string;
  lots: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed(count: number, run: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function measure(kind: DatabaseKind): Promise<Row[]> {
  const server = await startBenchServer(kind, 1);
  const raw = kind === 'sqlite' ? openRawSqlite(server.databaseUrl) : undefined;
  const bulk = raw ? sqliteBulk(raw) : await postgresBulk(server.databaseUrl);
  try {
    const prisma = server.app.prisma;
    const gates = await prisma.gate.findMany({ select: { id: true, marketId: true } });
    const issuers = (
      await prisma.issuer.findMany({ select: { id: true, name: true, regionCode: true } })
    ).filter((issuer) => issuer.regionCode.startsWith('43'));
    const world: World = {
      issuers,
      markets: gates.map((g) => ({ id: g.marketId, gateId: g.id })),
      until: new Date(),
    };
    const started = performance.now();
    await buildProvince(bulk, world, size, () => {});
    if (kind === 'postgresql') await prisma.$executeRawUnsafe('ANALYZE');
    const lots = await prisma.lot.count();
    process.stderr.write(
      `  ${kind}: ${lots.toLocaleString()} lots in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const to = localDay(world.until, timeZone);
    const range = { from: addDays(to, -29), to, regionPrefix: '43', timeZone };
    const daily = await timed(samples, () =>
      figures(prisma, server.app.dialect, { ...range, period: 'day' }),
    );
    const cut = await timed(samples, () =>
      figures(prisma, server.app.dialect, { ...range, period: 'week', groupBy: 'market' }),
    );
    return [
      { database: kind, operation: 'province, 30 days, per day', lots, ...daily },
      { database: kind, operation: 'province, 30 days, per week and per market', lots, ...cut },
    ];
  } finally {
    await bulk.close();
    raw?.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const kind of kinds) rows.push(...(await measure(kind)));
  console.log(`\ndashboard figures, ${samples} samples each, target p99 ≤ ${targetMs} ms\n`);
  console.log('| database | figures | lots in the database | p50 ms | p99 ms | p99 / target |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.database} | ${row.operation} | ${row.lots.toLocaleString()} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${((row.p99 / targetMs) * 100).toFixed(0)}% |`,
    );
  }
}

await main();
