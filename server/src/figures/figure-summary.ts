import { addDays, utcOffsetMs } from '@liangzheng/domain/time/local-day';
import type { Clock } from '../clock/clock.ts';
import type { Db, Dialect } from '../storage/db.ts';
import { FigureQuery, lotCountColumns, lotCounts, producerOfLot } from './figure-query.ts';

/**
 * The figures summary (docs/figures.md#the-summary): what the dashboard counts, per local day and market, kept in
 * FigureLots, FigureProducerLots, FigureViolations and FigureRapidTests. Database triggers name every (market,
 * instant) whose day a write changes in FigureChange, in the writer's own transaction; catching up rebuilds those
 * days and markets from the rows, then deletes the changes it has folded in. The figures read only the summary,
 * after a catch-up, so they are exactly what counting the rows would give.
 */
export interface FigureSummary {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly timeZone: string;
  /** minutes east of UTC the summary's days are cut at */
  readonly utcOffsetMinutes: number;
  /** Folds in every change committed before the call (and builds the summary first if it has never been). */
  catchUp(): Promise<void>;
  /** Stops the background catch-up and waits for the one running. */
  close(): Promise<void>;
}

export interface FigureSummaryLog {
  info(message: string): void;
  error(message: string): void;
}

export interface FigureSummaryDeps {
  db: Db;
  dialect: Dialect;
  timeZone: string;
  clock: Clock;
  log: FigureSummaryLog;
  /** how often changes are folded in without a reader asking; 0: only when asked */
  backgroundMs: number;
}

/** A catch-up over more days than this (a backfill) logs each day it rebuilds. */
const progressAfterDays = 7;
/** Markets rebuilt per statement, far under SQLite's 32,766 bound values. */
const marketsPerStatement = 500;
/** Serialises rebuilds across server processes sharing one PostgreSQL database. */
const advisoryLock = 'SELECT pg_advisory_xact_lock(1279673927)';
/** PostgreSQL: how long the high-water lock may wait for writers, and how often it is tried before a read fails. */
const lockTimeoutMs = 200;
const lockAttempts = 25;
/** PostgreSQL: a fold deleting more changes than this vacuums the change log at once. */
const vacuumAfterChanges = 10_000;
const summaryTables = ['FigureLots', 'FigureProducerLots', 'FigureViolations', 'FigureRapidTests'] as const;

type Count = number | bigint | null;

/** The stale days, each with its markets, in day order. */
export function staleDays(rows: readonly { day: string; marketId: Count }[]): [string, number[]][] {
  const days = new Map<string, Set<number>>();
  for (const row of rows) {
    const markets = days.get(row.day) ?? new Set<number>();
    markets.add(Number(row.marketId));
    days.set(row.day, markets);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, markets]) => [day, [...markets].sort((a, b) => a - b)]);
}

/** A local day as instants, midnight to midnight, at a fixed offset. */
export function dayBounds(day: string, utcOffsetMinutes: number): { start: Date; end: Date } {
  const midnight = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - utcOffsetMinutes * 60_000);
  return { start: midnight(day), end: midnight(addDays(day, 1)) };
}

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export function createFigureSummary(deps: FigureSummaryDeps): FigureSummary {
  const { db, dialect, timeZone, log } = deps;
  const utcOffsetMinutes = Math.round(utcOffsetMs(deps.clock.now(), timeZone) / 60_000);
  const query = () => new FigureQuery(dialect, utcOffsetMinutes);
  let built = false;
  // One catch-up at a time; a caller arriving meanwhile runs its own after it, to see changes committed since.
  let running: Promise<void> = Promise.resolve();

  /** Every statement the writer of a batch runs; on PostgreSQL behind the advisory lock. */
  const inOneTransaction = (statements: { sql: string; params: unknown[] }[]) =>
    db.$transaction([
      ...(dialect === 'postgresql' ? [db.$executeRawUnsafe(advisoryLock)] : []),
      ...statements.map(({ sql, params }) => db.$executeRawUnsafe(sql, ...params)),
    ]);

  /**
   * The highest change id below which every change is committed. SQLite has one writer, so that is the highest id.
   * PostgreSQL hands out ids before commit: a SHARE lock waits for every transaction still inserting changes, so
   * once it is held the highest id is settled.
   */
  async function settledHighWater(): Promise<number | null> {
    const highest = async () =>
      (await db.$queryRawUnsafe<{ id: Count }[]>('SELECT MAX("id") AS "id" FROM "FigureChange"'))[0]?.id ??
      null;
    if ((await highest()) === null) return null;
    if (dialect === 'sqlite') return Number(await highest());
    for (let attempt = 1; ; attempt++) {
      try {
        const [, , rows] = await db.$transaction([
          // Writers queue behind a waiting lock: give up long before PostgreSQL's deadlock check (1 s) would
          // pick a victim, so the victim is never a writer waiting on another writer that is queued behind us.
          db.$executeRawUnsafe(`SET LOCAL lock_timeout = '${lockTimeoutMs}ms'`),
          db.$executeRawUnsafe('LOCK TABLE "FigureChange" IN SHARE MODE'),
          db.$queryRawUnsafe<{ id: Count }[]>('SELECT MAX("id") AS "id" FROM "FigureChange"'),
        ]);
        const id = rows[0]?.id ?? null;
        return id === null ? null : Number(id);
      } catch (error) {
        if (attempt >= lockAttempts || !/lock timeout|55P03/i.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, lockTimeoutMs));
      }
    }
  }

  /** Deletes and recounts one day's rows for some markets, in one transaction. */
  async function rebuildDay(day: string, markets: readonly number[]): Promise<void> {
    const { start, end } = dayBounds(day, utcOffsetMinutes);
    const statements = summaryTables.map((table) => {
      const q = query();
      return {
        sql: `DELETE FROM "${table}" WHERE "day" = ${q.bind(day)} AND "marketId" IN (${q.ints(markets)})`,
        params: q.params,
      };
    });
    const lots = (table: string, key: string, keyColumn: string) => {
      const q = query();
      const sql = `INSERT INTO "${table}" ("day", "marketId", "${keyColumn}", ${lotCountColumns.map((c) => `"${c}"`).join(', ')})
        SELECT ${q.text(day)}, l."marketId", ${key}, ${lotCounts} FROM "Lot" l
        WHERE l."openedAt" >= ${q.instant(start)} AND l."openedAt" < ${q.instant(end)} AND l."marketId" IN (${q.ints(markets)})
        GROUP BY 2, 3`;
      return { sql, params: q.params };
    };
    statements.push(lots('FigureLots', 'l."category"', 'category'));
    statements.push(lots('FigureProducerLots', producerOfLot, 'producerId'));
    const violations = query();
    statements.push({
      sql: `INSERT INTO "FigureViolations" ("day", "marketId", "reason", "category", "producerId", "supplier", "count")
        SELECT ${violations.text(day)}, v."marketId", v."reason", l."category", ${producerOfLot}, l."supplier", COUNT(*)
        FROM "Violation" v JOIN "Lot" l ON l."id" = v."lotId"
        WHERE v."createdAt" >= ${violations.instant(start)} AND v."createdAt" < ${violations.instant(end)}
          AND v."marketId" IN (${violations.ints(markets)})
        GROUP BY 2, 3, 4, 5, 6`,
      params: violations.params,
    });
    const tests = query();
    statements.push({
      sql: `INSERT INTO "FigureRapidTests" ("day", "marketId", "tests", "positives", "confirmed")
        SELECT ${tests.text(day)}, l."marketId", COUNT(*),
          SUM(CASE WHEN t."result" = 'positive' THEN 1 ELSE 0 END),
          SUM(CASE WHEN t."violationId" IS NOT NULL THEN 1 ELSE 0 END)
        FROM "RapidTest" t JOIN "Lot" l ON l."id" = t."lotId"
        WHERE t."retestOfId" IS NULL AND t."testedAt" >= ${tests.instant(start)} AND t."testedAt" < ${tests.instant(end)}
          AND l."marketId" IN (${tests.ints(markets)})
        GROUP BY 2`,
      params: tests.params,
    });
    await inOneTransaction(statements);
  }

  /** Rebuilds every day and market the changes up to the settled high-water mark name, then drops those changes. */
  async function foldChanges(): Promise<void> {
    const highWater = await settledHighWater();
    if (highWater === null) return;
    const q = query();
    const days = staleDays(
      await db.$queryRawUnsafe<{ day: string; marketId: Count }[]>(
        `SELECT DISTINCT ${q.day('"at"')} AS "day", "marketId" FROM "FigureChange" WHERE "id" <= ${q.bind(highWater)}`,
        ...q.params,
      ),
    );
    const started = performance.now();
    const backfill = days.length > progressAfterDays;
    for (const [index, [day, markets]] of days.entries()) {
      for (const chunk of chunksOf(markets, marketsPerStatement)) await rebuildDay(day, chunk);
      if (backfill)
        log.info(
          `figures summary: day ${index + 1} of ${days.length} (${day}, ${markets.length} markets) rebuilt`,
        );
    }
    const done = query();
    const folded = await db.$executeRawUnsafe(
      `DELETE FROM "FigureChange" WHERE "id" <= ${done.bind(highWater)}`,
      ...done.params,
    );
    // Until vacuumed, PostgreSQL's MAX("id") walks every deleted entry of the index: after a bulk load's million
    // changes the next read took 0.46 s for it. Small folds are left to autovacuum.
    if (dialect === 'postgresql' && folded > vacuumAfterChanges)
      await db.$executeRawUnsafe('VACUUM "FigureChange"');
    if (backfill)
      log.info(
        `figures summary: ${days.length} days caught up in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  }

  /**
   * With no summary yet (a database migrated from before it) or one cut in another time zone: empties it and names
   * every day and market that has a lot, violation or rapid test as changed, so the catch-up rebuilds them all.
   */
  async function buildIfNeeded(): Promise<void> {
    const [state] = await db.$queryRawUnsafe<{ timeZone: string; utcOffsetMinutes: Count }[]>(
      'SELECT "timeZone", "utcOffsetMinutes" FROM "FigureSummary" WHERE "id" = 1',
    );
    if (state?.timeZone === timeZone && Number(state.utcOffsetMinutes) === utcOffsetMinutes) return;
    log.info(
      state
        ? `figures summary: rebuilding, its days were cut in ${state.timeZone} and the server runs in ${timeZone}`
        : `figures summary: building it from the lots, violations and rapid tests already recorded`,
    );
    const changed = (marketId: string, at: string, from: string) => {
      const q = query();
      return {
        sql: `INSERT INTO "FigureChange" ("marketId", "at") SELECT ${marketId}, MIN(${at}) ${from} GROUP BY ${marketId}, ${q.day(at)}`,
        params: q.params,
      };
    };
    const summaryRow = query();
    await inOneTransaction([
      ...[...summaryTables, 'FigureChange', 'FigureSummary'].map((table) => ({
        sql: `DELETE FROM "${table}"`,
        params: [],
      })),
      changed('l."marketId"', 'l."openedAt"', 'FROM "Lot" l'),
      changed('v."marketId"', 'v."createdAt"', 'FROM "Violation" v'),
      changed('l."marketId"', 't."testedAt"', 'FROM "RapidTest" t JOIN "Lot" l ON l."id" = t."lotId"'),
      {
        sql: `INSERT INTO "FigureSummary" ("id", "timeZone", "utcOffsetMinutes", "builtAt")
          VALUES (1, ${summaryRow.bind(timeZone)}, ${summaryRow.bind(utcOffsetMinutes)}, ${summaryRow.instant(deps.clock.now())})`,
        params: summaryRow.params,
      },
    ]);
  }

  const catchUp = () => {
    running = running
      .catch(() => {})
      .then(async () => {
        if (!built) {
          await buildIfNeeded();
          built = true;
        }
        await foldChanges();
      });
    return running;
  };

  const { backgroundMs } = deps;
  // The background catch-up keeps the change log short between dashboard reads.
  const timer =
    backgroundMs > 0
      ? setInterval(() => {
          catchUp().catch((error: unknown) =>
            log.error(`figures summary: catch-up failed: ${String(error)}`),
          );
        }, backgroundMs)
      : undefined;
  timer?.unref();

  return {
    db,
    dialect,
    timeZone,
    utcOffsetMinutes,
    catchUp,
    async close() {
      if (timer) clearInterval(timer);
      await running.catch(() => {});
    },
  };
}
