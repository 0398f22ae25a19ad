import type Database from 'better-sqlite3';
import pg from 'pg';

/** One value of a bulk row: dates are written in each database's own form. */
export type Cell = string | number | boolean | Date | null;

/** Inserts rows in bulk: setup for a benchmark, never part of what it measures. */
export interface BulkWriter {
  insert(table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void>;
  close(): Promise<void>;
}

/** SQLite: one prepared statement, one transaction per call (Prisma's adapter stores DateTime as ISO text). */
export function sqliteBulk(db: Database.Database): BulkWriter {
  const statements = new Map<string, Database.Statement>();
  const cell = (value: Cell) =>
    value instanceof Date
      ? value.toISOString().replace('Z', '+00:00')
      : typeof value === 'boolean'
        ? Number(value)
        : value;
  return {
    async insert(table, columns, rows) {
      const key = `${table}(${columns.join(',')})`;
      let statement = statements.get(key);
      if (!statement) {
        const names = columns.map((c) => `"${c}"`).join(',');
        statement = db.prepare(
          `INSERT INTO "${table}" (${names}) VALUES (${columns.map(() => '?').join(',')})`,
        );
        statements.set(key, statement);
      }
      const run = statement;
      db.transaction(() => {
        for (const row of rows) run.run(...row.map(cell));
      })();
    },
    async close() {},
  };
}

/** PostgreSQL: multi-row INSERTs of up to 60,000 parameters each, on one connection. */
export async function postgresBulk(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async insert(table, columns, rows) {
      const perStatement = Math.floor(60_000 / columns.length);
      const names = columns.map((c) => `"${c}"`).join(',');
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        const values: Cell[] = [];
        const tuples = chunk.map((row) => {
          const first = values.length;
          values.push(...row);
          return `(${row.map((_, i) => `$${first + i + 1}`).join(',')})`;
        });
        await client.query(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(',')}`, values);
      }
    },
    async close() {
      await client.end();
    },
  };
}
