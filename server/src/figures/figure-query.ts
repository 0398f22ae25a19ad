import { sqliteTime } from '../scan/scan-store.sqlite.ts';
import type { Dialect } from '../storage/db.ts';

/**
 * Builds one query's SQL and parameters: SQLite binds anonymous `?` in order, PostgreSQL numbers them; instants
 * are bound in each database's own text form, and days are cut at the market's midnight by a fixed offset
 * (China keeps no daylight saving).
 */
export class FigureQuery {
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

  /** A bound day or other text, typed so PostgreSQL need not guess it in a select list. */
  text(value: string): string {
    return `CAST(${this.bind(value)} AS TEXT)`;
  }

  instant(at: Date): string {
    if (this.dialect === 'sqlite') return this.bind(sqliteTime(at));
    // TIMESTAMP without time zone holds UTC wall time.
    return `CAST(${this.bind(at.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP(3))`;
  }

  /** The local day (YYYY-MM-DD) of an instant column. */
  day(column: string): string {
    return this.dialect === 'sqlite'
      ? `date(${column}, '${this.offsetMinutes >= 0 ? '+' : ''}${this.offsetMinutes} minutes')`
      : `to_char(${column} + interval '${this.offsetMinutes} minutes', 'YYYY-MM-DD')`;
  }

  /** A list of integers, bound one by one. */
  ints(values: readonly number[]): string {
    return values.map((value) => this.bind(value)).join(', ');
  }
}

/** 查验: a code read for the lot, or a paper certificate or second document recorded with it (docs/figures.md). */
export const lotCounts = `COUNT(*) AS "lots",
  SUM(CASE WHEN EXISTS (SELECT 1 FROM "Scan" s WHERE s."lotId" = l."id") THEN 1 ELSE 0 END) AS "scanned",
  SUM(CASE WHEN EXISTS (SELECT 1 FROM "Scan" s WHERE s."lotId" = l."id")
        OR EXISTS (SELECT 1 FROM "LotDocument" d WHERE d."lotId" = l."id") THEN 1 ELSE 0 END) AS "inspected",
  SUM(CASE WHEN EXISTS (
    SELECT 1 FROM "Scan" s WHERE s."lotId" = l."id" AND s."certificateId" IS NOT NULL AND s."outcome" = 'accept'
  ) THEN 1 ELSE 0 END) AS "verified",
  SUM(CASE WHEN l."outcome" = 'accept' THEN 1 ELSE 0 END) AS "accept",
  SUM(CASE WHEN l."outcome" = 'review' THEN 1 ELSE 0 END) AS "review",
  SUM(CASE WHEN l."outcome" = 'reject' THEN 1 ELSE 0 END) AS "reject"`;

/** The columns `lotCounts` yields, in its order. */
export const lotCountColumns = [
  'lots',
  'scanned',
  'inspected',
  'verified',
  'accept',
  'review',
  'reject',
] as const;

/** The producer of lot `l`: the issuer of a certificate it showed (the lowest id when it showed several). */
export const producerOfLot = `(SELECT MIN(c."issuerId") FROM "LotDocument" d JOIN "Certificate" c ON c."id" = d."certificateId"
  WHERE d."lotId" = l."id")`;
