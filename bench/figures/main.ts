/**
 * The regulator dashboard's aggregates for a whole province over 30 days, on the synthetic province of bench/trace
 * (≥ 1,000,000 lots in its last 30 days), on SQLite and PostgreSQL: p50/p99 of the figures a dashboard load asks
 * for (per day, and per week with a cut per market) against the 200 ms target, read from the figures summary, and
 * the time the summary takes to catch up with the freshly loaded province (every day and market rebuilt). Raw
 * Ed25519 verify in the same run is the machine's yardstick.
 * Run: npm run figures -w bench   (PRODUCERS, LOTS_PER, SAMPLES; DATABASES=sqlite or sqlite,postgresql)
 */

import { addDays, localDay } from '@liangzheng/domain/time/local-day';
import { openRawSqlite } from '@liangzheng/prisma';
import { createFigureSummary } from '@liangzheng/server/figures/figure-summary';
import { figures } from '@liangzheng/server/figures/figures-service';
import { ed25519VerifiesPerSecond } from '../ed25519-yardstick.ts';
import { type DatabaseKind, startBenchServer } from '../scan-ingest/setup.ts';
import { postgresBulk, sqliteBulk } from '../trace/bulk.ts';
import { buildProvince, placesOf, type World } from '../trace/province.ts';

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

async function measure(kind: DatabaseKind): Promise<{ rows: Row[]; catchUpSeconds: number }> {
  const server = await startBenchServer(kind, 1);
  const raw = kind === 'sqlite' ? openRawSqlite(server.databaseUrl) : undefined;
  const bulk = raw ? sqliteBulk(raw) : await postgresBulk(server.databaseUrl);
  try {
    const prisma = server.app.prisma;
    const issuers = (
      await prisma.issuer.findMany({ select: { id: true, name: true, regionCode: true } })
    ).filter((issuer) => issuer.regionCode.startsWith('43'));
    const world: World = {
      issuers,
      ...(await placesOf(prisma)),
      until: new Date(),
    };
    const started = performance.now();
    await buildProvince(bulk, world, size, () => {});
    if (kind === 'postgresql') await prisma.$executeRawUnsafe('ANALYZE');
    const lots = await prisma.lot.count();
    process.stderr.write(
      `  ${kind}: ${lots.toLocaleString()} lots in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const summary = createFigureSummary({
      db: prisma,
      dialect: server.app.dialect,
      timeZone,
      clock: server.app.clock,
      log: { info: (line) => process.stderr.write(`  ${kind}: ${line}\n`), error: console.error },
      backgroundMs: 0,
    });
    const catchUpStarted = performance.now();
    await summary.catchUp();
    const catchUpSeconds = (performance.now() - catchUpStarted) / 1000;
    process.stderr.write(
      `  ${kind}: summary caught up with the province in ${catchUpSeconds.toFixed(1)} s\n`,
    );
    const to = localDay(world.until, timeZone);
    const range = { from: addDays(to, -29), to, regionPrefix: '43' };
    const daily = await timed(samples, () => figures(summary, { ...range, period: 'day' }));
    const cut = await timed(samples, () => figures(summary, { ...range, period: 'week', groupBy: 'market' }));
    await summary.close();
    return {
      catchUpSeconds,
      rows: [
        { database: kind, operation: 'province, 30 days, per day', lots, ...daily },
        { database: kind, operation: 'province, 30 days, per week and per market', lots, ...cut },
      ],
    };
  } finally {
    await bulk.close();
    raw?.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const yardstick = ed25519VerifiesPerSecond();
  const rows: Row[] = [];
  const catchUps: string[] = [];
  for (const kind of kinds) {
    const measured = await measure(kind);
    rows.push(...measured.rows);
    catchUps.push(`${kind} ${measured.catchUpSeconds.toFixed(1)} s`);
    // Each database's figures as soon as they are in: a long run may be stopped before the last.
    for (const row of measured.rows)
      process.stderr.write(
        `  ${kind}: ${row.operation}: p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms\n`,
      );
  }
  console.log(`\nraw Ed25519 verify (node:crypto, one core, same run): ${yardstick.toLocaleString()}/s`);
  console.log(
    `summary caught up with the loaded province (every day and market rebuilt): ${catchUps.join(', ')}`,
  );
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
