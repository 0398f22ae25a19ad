/**
 * The figures counted from the rows on every request, as the server did before the summary (docs/figures.md): the
 * oracle the summary's figures are compared with. Kept here, not in the server, because only the tests count this way.
 */
import type {
  BreakdownRow,
  DayFigures,
  FigureCut,
  FigurePeriod,
  Figures,
  PeriodFigures,
  RepeatOffender,
} from '@liangzheng/domain';
import { addDays, localDayStart, utcOffsetMs } from '@liangzheng/domain/time/local-day';
import { daysOf, periodStart, rate } from '../../src/figures/figure-buckets.ts';
import { lotCounts, producerOfLot } from '../../src/figures/figure-query.ts';
import { sqliteTime } from '../../src/scan/scan-store.sqlite.ts';
import type { Db, Dialect } from '../../src/storage/db.ts';

export interface FigureRange {
  from: string;
  to: string;
  regionPrefix: string | null;
  marketId?: number | null;
  timeZone: string;
  period?: FigurePeriod;
  groupBy?: FigureCut | null;
}

type Count = number | bigint | null;
const n = (value: Count) => Number(value ?? 0);

/**
 * Builds one query's SQL and parameters: SQLite binds anonymous `?` in order, PostgreSQL numbers them; instants
 * are bound in each database's own text form, and days are cut at the market's midnight by a fixed offset
 * (China keeps no daylight saving).
 */
class Query {
  readonly params: unknown[] = [];
  constructor(
    private readonly dialect: Dialect,
    private readonly offsetMinutes: number,
  ) {}

  /** Call in the order the placeholders appear in the text: SQLite's `?` are positional. */
  bind(value: unknown): string {
    this.params.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.params.length}`;
  }

  instant(at: Date): string {
    if (this.dialect === 'sqlite') return this.bind(sqliteTime(at));
    // TIMESTAMP without time zone holds UTC wall time.
    return `CAST(${this.bind(at.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP(3))`;
  }

  day(column: string): string {
    return this.dialect === 'sqlite'
      ? `date(${column}, '${this.offsetMinutes >= 0 ? '+' : ''}${this.offsetMinutes} minutes')`
      : `to_char(${column} + interval '${this.offsetMinutes} minutes', 'YYYY-MM-DD')`;
  }

  /** `column` within the range, and the market `m` within the region (and the one market asked for). */
  where(column: string, range: FigureRange, start: Date, end: Date): string {
    const parts = [`${column} >= ${this.instant(start)}`, `${column} < ${this.instant(end)}`];
    if (range.regionPrefix !== null) parts.push(`m."regionCode" LIKE ${this.bind(`${range.regionPrefix}%`)}`);
    if (range.marketId) parts.push(`m."id" = ${this.bind(range.marketId)}`);
    return parts.join(' AND ');
  }
}

const cutKey: Record<FigureCut, string> = {
  region: `m."regionCode"`,
  market: `m."id"`,
  category: `l."category"`,
  producer: producerOfLot,
};

interface LotRow {
  key: string | number | bigint | null;
  lots: Count;
  scanned: Count;
  inspected: Count;
  verified: Count;
  accept: Count;
  review: Count;
  reject: Count;
}

function lotFigures(row: LotRow | undefined) {
  const lots = n(row?.lots ?? 0);
  const inspectedLots = n(row?.inspected ?? 0);
  const verifiedLots = n(row?.verified ?? 0);
  return {
    lots,
    scannedLots: n(row?.scanned ?? 0),
    inspectedLots,
    verifiedLots,
    inspectionRate: rate(inspectedLots, lots),
    verifiedRate: rate(verifiedLots, lots),
    outcomes: { accept: n(row?.accept ?? 0), review: n(row?.review ?? 0), reject: n(row?.reject ?? 0) },
  };
}

const keyText = (key: LotRow['key']) => (key === null ? 'unknown' : String(key));

/**
 * The regulator's figures, counted by the database over local days: lots, inspected and verified lots and their
 * rates, outcomes, violations by reason, rapid tests and positives, 开证率 and repeat offenders, per day, per
 * period and (asked for) per region, market, category or producer.
 */
export async function figuresFromRows(db: Db, dialect: Dialect, range: FigureRange): Promise<Figures> {
  const { start, end, offsetMinutes, query } = boundsOf(dialect, range);

  const lotsQ = query();
  const lotDays = await db.$queryRawUnsafe<(LotRow & { day: string })[]>(
    `SELECT ${lotsQ.day('l."openedAt"')} AS "day", ${lotCounts}
     FROM "Lot" l JOIN "Market" m ON m."id" = l."marketId"
     WHERE ${lotsQ.where('l."openedAt"', range, start, end)} GROUP BY 1`,
    ...lotsQ.params,
  );
  const violationsQ = query();
  const violationDays = await db.$queryRawUnsafe<{ day: string; reason: string; count: Count }[]>(
    `SELECT ${violationsQ.day('v."createdAt"')} AS "day", v."reason" AS "reason", COUNT(*) AS "count"
     FROM "Violation" v JOIN "Market" m ON m."id" = v."marketId"
     WHERE ${violationsQ.where('v."createdAt"', range, start, end)} GROUP BY 1, 2`,
    ...violationsQ.params,
  );
  const testsQ = query();
  const testDays = await db.$queryRawUnsafe<
    { day: string; tests: Count; positives: Count; confirmed: Count }[]
  >(
    `SELECT ${testsQ.day('t."testedAt"')} AS "day", COUNT(*) AS "tests",
       SUM(CASE WHEN t."result" = 'positive' THEN 1 ELSE 0 END) AS "positives",
       SUM(CASE WHEN t."violationId" IS NOT NULL THEN 1 ELSE 0 END) AS "confirmed"
     FROM "RapidTest" t JOIN "Lot" l ON l."id" = t."lotId" JOIN "Market" m ON m."id" = l."marketId"
     WHERE t."retestOfId" IS NULL AND ${testsQ.where('t."testedAt"', range, start, end)} GROUP BY 1`,
    ...testsQ.params,
  );

  const days = assembleDays(range, lotDays, violationDays);
  const period = range.period ?? 'day';
  return {
    from: range.from,
    to: range.to,
    regionPrefix: range.regionPrefix,
    marketId: range.marketId ?? null,
    timeZone: range.timeZone,
    utcOffset: offsetText(offsetMinutes),
    days,
    period,
    periods: assemblePeriods(range, period, days, testDays),
    breakdown: range.groupBy
      ? { groupBy: range.groupBy, rows: await breakdown(db, query, range, range.groupBy, start, end) }
      : null,
    violationsByReason: reasonTotals(violationDays),
    repeatOffenders: await repeatOffenders(db, query(), range, start, end),
    issuing: await issuing(db, query(), range, start, end),
    rapidTests: {
      tests: testDays.reduce((sum, row) => sum + n(row.tests), 0),
      positives: testDays.reduce((sum, row) => sum + n(row.positives), 0),
      confirmedPositives: testDays.reduce((sum, row) => sum + n(row.confirmed), 0),
    },
  };
}

/** The range as instants (local midnight to local midnight) and a query builder on its offset. */
function boundsOf(dialect: Dialect, range: FigureRange) {
  const start = localDayStart(range.from, range.timeZone);
  const end = localDayStart(addDays(range.to, 1), range.timeZone);
  const offsetMinutes = Math.round(utcOffsetMs(start, range.timeZone) / 60_000);
  return { start, end, offsetMinutes, query: () => new Query(dialect, offsetMinutes) };
}

/** One cut of the range on its own (the monthly report has all four). */
export async function cutFiguresFromRows(
  db: Db,
  dialect: Dialect,
  range: FigureRange,
  groupBy: FigureCut,
): Promise<BreakdownRow[]> {
  const { start, end, query } = boundsOf(dialect, range);
  return breakdown(db, query, range, groupBy, start, end);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Every day of the range, empty ones included (with null rates), so charts keep their time axis. */
function assembleDays(
  range: FigureRange,
  lotDays: readonly (LotRow & { day: string })[],
  violationDays: readonly { day: string; reason: string; count: Count }[],
): DayFigures[] {
  const lotsByDay = new Map(lotDays.map((row) => [row.day, row]));
  return daysOf(range.from, range.to).map((day) => {
    const violations: Record<string, number> = {};
    for (const row of violationDays) if (row.day === day) violations[row.reason] = n(row.count);
    return { day, ...lotFigures(lotsByDay.get(day)), violations };
  });
}

function assemblePeriods(
  range: FigureRange,
  period: FigurePeriod,
  days: readonly DayFigures[],
  testDays: readonly { day: string; tests: Count; positives: Count }[],
): PeriodFigures[] {
  const tests = new Map(testDays.map((row) => [row.day, row]));
  const periods = new Map<string, PeriodFigures>();
  for (const day of days) {
    const start = periodStart(day.day, period);
    const into = periods.get(start) ?? {
      // A period reaching back before the range starts with the range.
      start: start.localeCompare(range.from) < 0 ? range.from : start,
      end: day.day,
      ...lotFigures(undefined),
      violations: 0,
      rapidTests: 0,
      positives: 0,
    };
    into.end = day.day;
    into.lots += day.lots;
    into.scannedLots += day.scannedLots;
    into.inspectedLots += day.inspectedLots;
    into.verifiedLots += day.verifiedLots;
    into.inspectionRate = rate(into.inspectedLots, into.lots);
    into.verifiedRate = rate(into.verifiedLots, into.lots);
    for (const outcome of ['accept', 'review', 'reject'] as const)
      into.outcomes[outcome] += day.outcomes[outcome];
    into.violations += Object.values(day.violations).reduce((sum, count) => sum + count, 0);
    into.rapidTests += n(tests.get(day.day)?.tests ?? 0);
    into.positives += n(tests.get(day.day)?.positives ?? 0);
    periods.set(start, into);
  }
  return [...periods.values()];
}

function reasonTotals(rows: readonly { reason: string; count: Count }[]) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.reason, (totals.get(row.reason) ?? 0) + n(row.count));
  return [...totals.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

const categoryNames: Record<string, string> = {
  vegetable: '蔬菜',
  fruit: '水果',
  tea: '茶叶',
  livestock_poultry: '畜禽',
  egg: '禽蛋',
  aquatic: '水产品',
};

/** The whole range per region, market, category or producer, most lots first. */
async function breakdown(
  db: Db,
  query: () => Query,
  range: FigureRange,
  groupBy: FigureCut,
  start: Date,
  end: Date,
): Promise<BreakdownRow[]> {
  const lotsQ = query();
  const lotRows = await db.$queryRawUnsafe<LotRow[]>(
    `SELECT ${cutKey[groupBy]} AS "key", ${lotCounts}
     FROM "Lot" l JOIN "Market" m ON m."id" = l."marketId"
     WHERE ${lotsQ.where('l."openedAt"', range, start, end)} GROUP BY 1`,
    ...lotsQ.params,
  );
  const violationsQ = query();
  const violationRows = await db.$queryRawUnsafe<{ key: LotRow['key']; count: Count }[]>(
    `SELECT ${cutKey[groupBy]} AS "key", COUNT(*) AS "count"
     FROM "Violation" v JOIN "Lot" l ON l."id" = v."lotId" JOIN "Market" m ON m."id" = v."marketId"
     WHERE ${violationsQ.where('v."createdAt"', range, start, end)} GROUP BY 1`,
    ...violationsQ.params,
  );
  const violations = new Map(violationRows.map((row) => [keyText(row.key), n(row.count)]));
  const keys = [...new Set([...lotRows.map((row) => keyText(row.key)), ...violations.keys()])];
  const names = await namesOf(db, groupBy, keys);
  const lots = new Map(lotRows.map((row) => [keyText(row.key), row]));
  return keys
    .map((key) => ({
      key,
      name: names.get(key) ?? (key === 'unknown' ? '未知（无合格证）' : key),
      ...lotFigures(lots.get(key)),
      violations: violations.get(key) ?? 0,
    }))
    .sort((a, b) => b.lots - a.lots || b.violations - a.violations || a.key.localeCompare(b.key));
}

async function namesOf(db: Db, groupBy: FigureCut, keys: string[]): Promise<Map<string, string>> {
  const known = keys.filter((key) => key !== 'unknown');
  if (groupBy === 'category') return new Map(known.map((key) => [key, categoryNames[key] ?? key]));
  if (groupBy === 'region') {
    const rows = await db.region.findMany({
      where: { code: { in: known } },
      select: { code: true, name: true },
    });
    return new Map(rows.map((row) => [row.code, row.name]));
  }
  const ids = known.map(Number).filter(Number.isInteger);
  const rows =
    groupBy === 'market'
      ? await db.market.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
      : await db.issuer.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [String(row.id), row.name]));
}

/** Producers (from the certificate shown) or suppliers (named at the gate) with two or more violations. */
async function repeatOffenders(
  db: Db,
  q: Query,
  range: FigureRange,
  start: Date,
  end: Date,
): Promise<RepeatOffender[]> {
  const rows = await db.$queryRawUnsafe<
    { issuerId: Count; supplier: string; reason: string; count: Count }[]
  >(
    `SELECT ${producerOfLot} AS "issuerId", l."supplier" AS "supplier", v."reason" AS "reason", COUNT(*) AS "count"
     FROM "Violation" v JOIN "Lot" l ON l."id" = v."lotId" JOIN "Market" m ON m."id" = v."marketId"
     WHERE ${q.where('v."createdAt"', range, start, end)} GROUP BY 1, 2, 3`,
    ...q.params,
  );
  const offenders = new Map<string, RepeatOffender>();
  for (const row of rows) {
    const issuerId = row.issuerId === null ? null : n(row.issuerId);
    const supplier = row.supplier.trim();
    if (issuerId === null && !supplier) continue;
    const key = issuerId === null ? `supplier:${supplier}` : `producer:${issuerId}`;
    const offender = offenders.get(key) ?? {
      kind: issuerId === null ? ('supplier' as const) : ('producer' as const),
      key,
      name: supplier,
      violations: 0,
      reasons: [],
    };
    offender.violations += n(row.count);
    if (!offender.reasons.includes(row.reason)) offender.reasons.push(row.reason);
    offenders.set(key, offender);
  }
  const repeated = [...offenders.values()].filter((o) => o.violations >= 2);
  const producerIds = repeated.filter((o) => o.kind === 'producer').map((o) => Number(o.key.slice(9)));
  const producers = new Map(
    (await db.issuer.findMany({ where: { id: { in: producerIds } }, select: { id: true, name: true } })).map(
      (row) => [`producer:${row.id}`, row.name],
    ),
  );
  return repeated
    .map((o) => ({ ...o, name: producers.get(o.key) ?? o.name, reasons: o.reasons.sort() }))
    .sort((a, b) => b.violations - a.violations || a.key.localeCompare(b.key));
}

/**
 * 开证率: of the producers and cooperatives registered in the region (by their own region code) before the range
 * ended, those that issued at least one certificate in it. A market filter does not narrow it: producers belong to
 * regions, not markets.
 */
async function issuing(db: Db, q: Query, range: FigureRange, start: Date, end: Date) {
  // Bound in the order they appear: SQLite's placeholders are positional.
  const from = q.instant(start);
  const to = q.instant(end);
  const registeredBy = q.instant(end);
  const region =
    range.regionPrefix === null ? '' : `AND i."regionCode" LIKE ${q.bind(`${range.regionPrefix}%`)}`;
  const [row] = await db.$queryRawUnsafe<{ registered: Count; issuing: Count }[]>(
    `SELECT COUNT(*) AS "registered",
       SUM(CASE WHEN EXISTS (SELECT 1 FROM "Certificate" c WHERE c."issuerId" = i."id"
         AND c."issuedAt" >= ${from} AND c."issuedAt" < ${to}) THEN 1 ELSE 0 END) AS "issuing"
     FROM "Issuer" i
     WHERE i."kind" IN ('producer', 'cooperative') AND i."createdAt" < ${registeredBy} ${region}`,
    ...q.params,
  );
  const registeredProducers = n(row?.registered ?? 0);
  const issuingProducers = n(row?.issuing ?? 0);
  return { registeredProducers, issuingProducers, issuingRate: rate(issuingProducers, registeredProducers) };
}
