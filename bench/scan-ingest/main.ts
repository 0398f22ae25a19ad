/**
 * Scan ingest: sustained verified scans/s and latency at offered loads over loopback HTTP and socket.io, against
 * the in-process limit (the same readCode + judgeLot + insert through the same store, no HTTP: on SQLite raw
 * better-sqlite3 with group commit, on PostgreSQL raw pg reads and raw pg group commit) measured in the same run,
 * also in-process at 1,000/s: what the store and the machine allow at that rate without any transport. Targets on
 * 2 cores: ≥ 3,000/s on SQLite, p99 ≤ 25 ms at 1,000/s, ≥ 40% of the limit.
 * Run: npm run scan-ingest -w bench   (SECONDS=<n> per phase; DATABASES=sqlite or sqlite,postgresql)
 */

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingestScan } from '@liangzheng/server/scan/scan-service';
import type { LoadJob, LoadResult } from './load.ts';
import { type BenchServer, type DatabaseKind, startBenchServer } from './setup.ts';

const seconds = Number(process.env.SECONDS ?? 4);
const kinds = (process.env.DATABASES ?? 'sqlite,postgresql').split(',') as DatabaseKind[];
let server: BenchServer;
let batch = 0;
const lotsFor = (count: number) => server.openLots(count, `b${batch++}`);

/** The server process's CPU (all its threads) per verified scan: unlike rates, it holds on a busy machine. */
let cpuMark = process.cpuUsage();
function cpuPerScan(ok: number): number {
  const used = process.cpuUsage(cpuMark);
  return ok > 0 ? (used.user + used.system) / ok : Number.NaN;
}

/**
 * CPU of the PostgreSQL processes serving the bench database (their process titles name it), from /proc in clock
 * ticks: on one machine the database's share of each scan is as real a cost as the server's. A backend that exits
 * within a phase is missed, so this is a lower bound.
 */
const clockTickUs = 10_000;
function databaseTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  if (server.kind !== 'postgresql' || !existsSync('/proc')) return ticks;
  const title = ` ${new URL(server.databaseUrl).pathname.slice(1)} `;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(title)) continue;
      const fields = readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1]!.split(' ');
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone between listing and reading
    }
  }
  return ticks;
}
let databaseMark = new Map<number, number>();
function databaseCpuPerScan(ok: number): number {
  let used = 0;
  for (const [pid, now] of databaseTicks()) used += now - (databaseMark.get(pid) ?? 0);
  return ok > 0 && server.kind === 'postgresql' ? (used * clockTickUs) / ok : Number.NaN;
}

function load(job: Omit<LoadJob, 'base' | 'token' | 'gateId' | 'codes'>): Promise<LoadResult> {
  cpuMark = process.cpuUsage();
  databaseMark = databaseTicks();
  const { demo } = server;
  const gateId = demo.gates.wholesaleEast;
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), {
      execArgv: ['--import', 'tsx'],
    });
    child.once('message', (message: LoadResult | { error: string }) => {
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    child.once('error', reject);
    child.send({ ...job, base: server.base, token: demo.deviceToken, gateId, codes: server.codes });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Row {
  path: string;
  offered: string;
  rate: number;
  p50: number;
  p99: number;
  failed: number;
  cpuUs: number;
  databaseCpuUs: number;
}

function row(path: string, offered: string, result: LoadResult): Row {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    path,
    offered,
    rate: (result.ok * 1000) / result.elapsedMs,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    failed: result.failed,
    cpuUs: cpuPerScan(result.ok),
    databaseCpuUs: databaseCpuPerScan(result.ok),
  };
}

/**
 * The same service call the route makes, straight into the raw store: with `rate` 0 as fast as 64 in flight allow
 * (the limit), otherwise open loop at `rate` scans/s with latency from the scheduled time, like the load generator,
 * so the transports' p99 can be set against the store's own at the same rate.
 */
async function inProcess(rate: number): Promise<Row> {
  const { demo } = server;
  const gateId = demo.gates.wholesaleEast;
  const deps = server.app.scanFlow.scanDeps;
  const count = rate > 0 ? Math.ceil(rate * seconds) : server.kind === 'sqlite' ? 80_000 : 20_000;
  const lots = await lotsFor(count);
  const device = { deviceId: demo.deviceId, gateId, marketId: demo.markets.wholesale };
  let next = 0;
  let ok = 0;
  const latencies: number[] = [];
  const scan = async (i: number, scheduled: number) => {
    const result = await ingestScan(
      deps,
      {
        scanId: randomUUID(),
        lotId: lots[i]!,
        gateId,
        provenance: {
          source: 'hid',
          rawText: server.codes[i % server.codes.length]!,
          symbology: 'qr',
          keystrokeTimings: [],
          deviceTime: new Date().toISOString(),
          decoder: 'bench',
        },
      },
      device,
    );
    latencies.push(performance.now() - scheduled);
    if (result.ok) ok++;
  };
  cpuMark = process.cpuUsage();
  databaseMark = databaseTicks();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  if (rate > 0) {
    const pending: Promise<void>[] = [];
    while (next < lots.length) {
      const scheduled = started + (next * 1000) / rate;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(scan(next++, scheduled));
    }
    await Promise.all(pending);
  } else {
    const lane = async () => {
      while (next < lots.length && performance.now() < deadline) await scan(next++, performance.now());
    };
    await Promise.all(Array.from({ length: 64 }, lane));
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    path: server.kind === 'sqlite' ? 'in-process (raw SQLite)' : 'in-process (raw pg)',
    offered: rate > 0 ? `${rate.toLocaleString('en')}/s` : 'max',
    rate: (ok * 1000) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: next - ok,
    cpuUs: cpuPerScan(ok),
    databaseCpuUs: databaseCpuPerScan(ok),
  };
}

for (const kind of kinds) {
  server = await startBenchServer(kind, 1000);
  const rows: Row[] = [];
  // Every certificate is read once before measuring, as on a server that has been running for a while.
  await load({
    transport: 'http',
    lots: await lotsFor(server.codes.length),
    rate: 0,
    inFlight: 16,
    seconds: 120,
  });
  const maxLots = server.kind === 'sqlite' ? 60_000 : 15_000;
  const phases = [
    { transport: 'http', offered: '100/s', rate: 100 },
    { transport: 'http', offered: '1,000/s', rate: 1000 },
    { transport: 'http', offered: 'max (64 in flight)', rate: 0 },
    { transport: 'socket', offered: '1,000/s', rate: 1000 },
    { transport: 'socket', offered: 'max (64 in flight)', rate: 0 },
  ] as const;
  for (const { transport, offered, rate } of phases) {
    const result = await load({
      transport,
      lots: await lotsFor(rate > 0 ? rate * seconds : maxLots),
      rate,
      inFlight: rate > 0 ? 0 : 64,
      seconds,
    });
    rows.push(row(transport === 'http' ? 'HTTP' : 'socket.io', offered, result));
  }
  rows.push(await inProcess(1000));
  const limit = await inProcess(0);
  rows.push(limit);

  const stored = await server.app.prisma.scan.count();
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
  console.log(
    `\nscan ingest on ${kind} (${seconds} s per phase, 1,000 certificates, 2 cores shared with the load generator)\n`,
  );
  console.log(
    '| path | offered | verified scans/s | p50 ms | p99 ms | failed | server CPU µs/scan | % of in-process limit |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.path} | ${r.offered} | ${fmt(r.rate, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.failed} | ${fmt(r.cpuUs, 0)} | ${fmt((100 * r.rate) / limit.rate, 0)}% |`,
    );
  }
  if (kind === 'postgresql') {
    console.log('\nPostgreSQL processes serving the bench database, CPU per verified scan (from /proc):\n');
    console.log('| path | offered | database CPU µs/scan | server + database CPU µs/scan |');
    console.log('| --- | --- | ---: | ---: |');
    for (const r of rows) {
      console.log(
        `| ${r.path} | ${r.offered} | ${fmt(r.databaseCpuUs, 0)} | ${fmt(r.cpuUs + r.databaseCpuUs, 0)} |`,
      );
    }
  }
  const httpMax = rows[2]!;
  const at1000 = rows[1]!;
  console.log(`\nscans stored: ${stored}`);
  console.log(
    `targets: HTTP max ${fmt(httpMax.rate, 0)}/s (≥ 3,000: ${httpMax.rate >= 3000 ? 'met' : 'NOT met'}), ` +
      `p99 at 1,000/s ${fmt(at1000.p99, 1)} ms (≤ 25: ${at1000.p99 <= 25 ? 'met' : 'NOT met'}), ` +
      `ratio ${fmt((100 * httpMax.rate) / limit.rate, 0)}% (≥ 40%: ${httpMax.rate / limit.rate >= 0.4 ? 'met' : 'NOT met'})`,
  );
  await server.close();
}
