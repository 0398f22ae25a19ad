/**
 * The pure part of moving a SQLite installation to PostgreSQL: the order tables are copied in, how a SQLite value
 * becomes a PostgreSQL one, and the batched INSERT. The I/O lives in copy.ts.
 */

/** A table and the tables its foreign keys point at. */
export interface TableLinks {
  name: string;
  references: string[];
}

/**
 * Tables ordered so every table comes after the tables it references (Kahn's algorithm, ties by name so the
 * order is stable). A reference to the table itself does not hold it back. Throws on a cycle, which the
 * schema does not have and a row-by-row copy could not satisfy.
 */
export function foreignKeyOrder(tables: TableLinks[]): string[] {
  const pending = new Map(
    tables.map((table) => [table.name, new Set(table.references.filter((ref) => ref !== table.name))]),
  );
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, refs]) => [...refs].every((ref) => !pending.has(ref)));
    if (ready.length === 0)
      throw new Error(`foreign keys form a cycle among: ${[...pending.keys()].join(', ')}`);
    for (const [name] of ready.sort(([a], [b]) => (a < b ? -1 : 1))) {
      ordered.push(name);
      pending.delete(name);
    }
  }
  return ordered;
}

/** The PostgreSQL column types Prisma's schema maps to (udt_name in information_schema). */
export type PgColumnType = 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'timestamp' | 'bytea' | 'numeric';

export interface CopyColumn {
  name: string;
  type: PgColumnType;
}

export const pgColumnTypes: readonly PgColumnType[] = [
  'text',
  'int4',
  'int8',
  'float8',
  'bool',
  'timestamp',
  'bytea',
  'numeric',
];

/** A source value the copy cannot carry over faithfully; the copy is undone rather than guessing. */
export class UnreadableValue extends Error {
  override readonly name = 'UnreadableValue';
}

/**
 * A SQLite DateTime as UTC milliseconds. Prisma writes ISO text with an offset (`…T08:30:00.123+00:00`), SQLite's
 * CURRENT_TIMESTAMP default writes `YYYY-MM-DD HH:MM:SS` in UTC, and a number is Unix milliseconds. Anything else
 * is refused rather than guessed.
 */
export function sqliteDateTimeMillis(value: string | number): number {
  if (typeof value === 'number') return value;
  const sqliteDefault = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(value);
  const iso = sqliteDefault ? `${sqliteDefault[1]}T${sqliteDefault[2]}Z` : value;
  const millis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(iso)
    ? Date.parse(iso)
    : Number.NaN;
  if (Number.isNaN(millis)) throw new UnreadableValue(`not a SQLite DateTime: "${value}"`);
  return millis;
}

/** A SQLite value in the form pg sends for `type`; timestamps go as UTC text without a zone, as timestamp(3) holds them. */
export function toPgValue(value: unknown, type: PgColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'bool':
      return value === 1 || value === 1n || value === true || value === '1' || value === 'true';
    case 'timestamp':
      return new Date(sqliteDateTimeMillis(value as string | number)).toISOString().replace('Z', '');
    case 'bytea':
      return Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    case 'text':
      return String(value);
    default:
      return value;
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One INSERT per batch: each column travels as one array parameter and `unnest` turns the arrays into rows. */
export function batchInsertSql(table: string, columns: CopyColumn[]): string {
  const names = columns.map((column) => quoteIdent(column.name)).join(', ');
  const arrays = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  return `INSERT INTO ${quoteIdent(table)} (${names}) SELECT * FROM unnest(${arrays})`;
}

/** Rows (in column order, SQLite values) as one array per column, converted for PostgreSQL. */
export function batchParameters(rows: unknown[][], columns: CopyColumn[]): unknown[][] {
  return columns.map((column, index) => rows.map((row) => toPgValue(row[index], column.type)));
}
