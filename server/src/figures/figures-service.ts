import type { DayFigures, Figures } from '@liangzheng/domain';
import { sqliteTime } from '../scan/scan-store.sqlite.ts';
import type { Db, Dialect } from '../storage/db.ts';

/** Markets keep China Standard Time; a day of figures runs midnight to midnight there. */
const offsetHours = 8;
const dayMs = 86_400_000;
export const maxFigureDays = 366;

export interface FigureRange {
  from: string;
  to: string;
  regionPrefix: string | null;
}

export type FiguresError = { code: 'VALIDATION_FAILED'; message: string };

/** The China day an instant falls on. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + offsetHours * 3_600_000).toISOString().slice(0, 10);
}

const midnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** Fills in the defaults (the last 30 days up to today) and refuses reversed or overlong ranges. */
export function rangeOf(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { ok: true; from: string; to: string } | { ok: false; error: FiguresError } {
  const to = query.to ?? chinaDay(now);
  const from = query.from ?? chinaDay(new Date(midnight(to).getTime() - 29 * dayMs));
  const days = (midnight(to).getTime() - midnight(from).getTime()) / dayMs + 1;
  if (days < 1) return { ok: false, error: { code: 'VALIDATION_FAILED', message: '`from` is after `to`' } };
  if (days > maxFigureDays)
    return {
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: `at most ${maxFigureDays} days at once` },
    };
  return { ok: true, from, to };
}

/** The SQL that differs between the dialects; everything else is shared. */
function dialectSql(dialect: Dialect) {
  return dialect === 'sqlite'
    ? {
        day: (column: string) => `date(${column}, '+${offsetHours} hours')`,
        instant: (n: number) => `?${n}`,
        bind: (at: Date) => sqliteTime(at),
      }
    : {
        day: (column: string) => `to_char(${column} + interval '${offsetHours} hours', 'YYYY-MM-DD')`,
        instant: (n: number) => `CAST($${n} AS TIMESTAMP(3))`,
        // TIMESTAMP without time zone holds UTC wall time.
        bind: (at: Date) => at.toISOString().replace('T', ' ').replace('Z', ''),
      };
}

interface LotDayRow {
  day: string;
  lots: number | bigint;
  scanned: number | bigint | null;
  verified: number | bigint | null;
  accept: number | bigint | null;
  review: number | bigint | null;
  reject: number | bigint | null;
}
interface ViolationDayRow {
  day: string;
  reason: string;
  count: number | bigint;
}

/**
 * Per-day figures for the regulator dashboard, counted by the database: lots, scanned lots, lots with a verified
 * certificate (查验率), outcomes and violations by reason, for markets under the region prefix.
 */
export async function figures(db: Db, dialect: Dialect, range: FigureRange): Promise<Figures> {
  const sql = dialectSql(dialect);
  const start = midnight(range.from);
  const end = new Date(midnight(range.to).getTime() + dayMs);
  const region = range.regionPrefix === null ? '' : `AND m."regionCode" LIKE ?3`;
  // Each parameter appears once and in order: SQLite binds anonymous `?`, PostgreSQL numbers them.
  const placeholders = (text: string) =>
    text.replace(/\?(\d)/g, (_, n: string) => (dialect === 'sqlite' ? '?' : `$${n}`));
  const params = [
    sql.bind(start),
    sql.bind(end),
    ...(range.regionPrefix === null ? [] : [`${range.regionPrefix}%`]),
  ];

  const lotRows = await db.$queryRawUnsafe<LotDayRow[]>(
    placeholders(`
      SELECT ${sql.day('l."openedAt"')} AS "day",
        COUNT(*) AS "lots",
        SUM(CASE WHEN EXISTS (SELECT 1 FROM "Scan" s WHERE s."lotId" = l."id") THEN 1 ELSE 0 END) AS "scanned",
        SUM(CASE WHEN EXISTS (
          SELECT 1 FROM "Scan" s WHERE s."lotId" = l."id" AND s."certificateId" IS NOT NULL AND s."outcome" = 'accept'
        ) THEN 1 ELSE 0 END) AS "verified",
        SUM(CASE WHEN l."outcome" = 'accept' THEN 1 ELSE 0 END) AS "accept",
        SUM(CASE WHEN l."outcome" = 'review' THEN 1 ELSE 0 END) AS "review",
        SUM(CASE WHEN l."outcome" = 'reject' THEN 1 ELSE 0 END) AS "reject"
      FROM "Lot" l JOIN "Market" m ON m."id" = l."marketId"
      WHERE l."openedAt" >= ${sql.instant(1)} AND l."openedAt" < ${sql.instant(2)} ${region}
      GROUP BY 1 ORDER BY 1`),
    ...params,
  );
  const violationRows = await db.$queryRawUnsafe<ViolationDayRow[]>(
    placeholders(`
      SELECT ${sql.day('v."createdAt"')} AS "day", v."reason" AS "reason", COUNT(*) AS "count"
      FROM "Violation" v JOIN "Market" m ON m."id" = v."marketId"
      WHERE v."createdAt" >= ${sql.instant(1)} AND v."createdAt" < ${sql.instant(2)} ${region}
      GROUP BY 1, 2 ORDER BY 1, 2`),
    ...params,
  );
  return assembleFigures(range, lotRows, violationRows);
}

const n = (value: number | bigint | null) => Number(value ?? 0);

/** Every day of the range, zeros included, so charts keep their time axis. */
export function assembleFigures(
  range: FigureRange,
  lotRows: readonly LotDayRow[],
  violationRows: readonly ViolationDayRow[],
): Figures {
  const byDay = new Map<string, DayFigures>();
  for (let at = midnight(range.from).getTime(); at <= midnight(range.to).getTime(); at += dayMs) {
    const day = chinaDay(new Date(at));
    byDay.set(day, {
      day,
      lots: 0,
      scannedLots: 0,
      verifiedLots: 0,
      inspectionRate: 0,
      verifiedRate: 0,
      outcomes: { accept: 0, review: 0, reject: 0 },
      violations: {},
    });
  }
  for (const row of lotRows) {
    const figures = byDay.get(row.day);
    if (!figures) continue;
    figures.lots = n(row.lots);
    figures.scannedLots = n(row.scanned);
    figures.verifiedLots = n(row.verified);
    figures.inspectionRate = figures.lots ? figures.scannedLots / figures.lots : 0;
    figures.verifiedRate = figures.lots ? figures.verifiedLots / figures.lots : 0;
    figures.outcomes = { accept: n(row.accept), review: n(row.review), reject: n(row.reject) };
  }
  const totals = new Map<string, number>();
  for (const row of violationRows) {
    const figures = byDay.get(row.day);
    if (!figures) continue;
    figures.violations[row.reason] = n(row.count);
    totals.set(row.reason, (totals.get(row.reason) ?? 0) + n(row.count));
  }
  return {
    from: range.from,
    to: range.to,
    regionPrefix: range.regionPrefix,
    utcOffset: '+08:00',
    days: [...byDay.values()],
    violationsByReason: [...totals.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}
