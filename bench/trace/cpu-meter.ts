import { readFileSync } from 'node:fs';

/** Ticks of /proc/<pid>/stat's utime and stime: `getconf CLK_TCK` is 100 on Linux. */
const msPerTick = 10;

/** CPU milliseconds one process has used so far (undefined once it is gone), from /proc on this machine. */
function processCpuMs(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces; the fields counted from its closing parenthesis do not.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * msPerTick;
  } catch {
    return undefined;
  }
}

export interface CpuUse {
  /** this process: the server and the load's HTTP client */
  nodeMs: number;
  /** the database server's backends connected to the benchmark's database (none for SQLite) */
  databaseMs: number;
}

/**
 * CPU time spent between `start` and `stop`, apart from whatever else runs on the machine: throughput here varies
 * with other load, CPU per operation much less. `backends` lists the PostgreSQL backend pids serving the benchmark's
 * database (from pg_stat_activity); it is asked again at the end, counting backends opened meanwhile (a pool keeps its connections through a run).
 */
export async function meterCpu(backends: () => Promise<number[]>) {
  const node = process.cpuUsage();
  const before = new Map((await backends()).map((pid) => [pid, processCpuMs(pid)]));
  return async function stop(): Promise<CpuUse> {
    const used = process.cpuUsage(node);
    let databaseMs = 0;
    for (const pid of await backends()) {
      databaseMs += (processCpuMs(pid) ?? 0) - (before.get(pid) ?? 0);
    }
    return { nodeMs: (used.user + used.system) / 1000, databaseMs };
  };
}
