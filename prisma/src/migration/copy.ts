import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { type DatabaseTarget, type PgConnectionFields, parseDatabaseUrl, redact } from '../database-url.ts';
import { openRawSqlite } from '../sqlite.ts';
import { StorageError } from '../storage-error.ts';
import {
  batchInsertSql,
  batchParameters,
  type CopyColumn,
  foreignKeyOrder,
  type PgColumnType,
  pgColumnTypes,
  quoteIdent,
  sqliteDateTimeMillis,
  UnreadableValue,
} from './copy-plan.ts';
import { migrationsDir, readMigrationList } from './migrations-folder.ts';

export const copyBatchRows = 2000;

/** Why a copy was refused or undone; the CLI exits 2 on any of these. */
export type CopyRefusalCode =
  | 'COPY_SOURCE_NOT_SQLITE'
  | 'COPY_TARGET_NOT_POSTGRESQL'
  | 'COPY_SOURCE_MISSING'
  | 'COPY_MIGRATIONS_NOT_CURRENT'
  | 'COPY_TARGET_NOT_EMPTY'
  | 'COPY_TABLES_DIFFER'
  | 'COPY_UNREADABLE_VALUE'
  | 'COPY_VERIFY_FAILED';

export interface CopyRefusal {
  ok: false;
  code: CopyRefusalCode;
  message: string;
}

export interface TableCopied {
  table: string;
  rows: number;
}

export type CopyOutcome =
  | { ok: true; tables: TableCopied[]; auditRows: number; lastAuditHash: string | null }
  | CopyRefusal;

export type CopyProgress = (table: string, done: number, total: number) => void;

/** Tables the migration tooling and SQLite keep for themselves; everything else is an app table. */
const bookkeepingTable = /^(_prisma_migrations|sqlite_.*)$/;
/**
 * The figures summary and its change log (docs/figures.md) are derived from the copied rows: the target's triggers
 * log the copied rows as changes, and the server rebuilds the summary at its first start there.
 */
const derivedTable = /^Figure(Lots|ProducerLots|Violations|RapidTests|Change|Summary)$/;

/** Whether migrate:copy moves a table's rows: every app table but the derived ones. */
export const isCopiedTable = (name: string): boolean =>
  !bookkeepingTable.test(name) && !derivedTable.test(name);

const refuse = (code: CopyRefusalCode, message: string): CopyRefusal => ({ ok: false, code, message });

/**
 * Copies every app table of a SQLite installation into an empty PostgreSQL database at the same migration, in
 * foreign-key order, in one PostgreSQL transaction: the target ends with every row or with none. Before COMMIT,
 * row counts and the whole audit log are compared with the source, so a copy that would not verify is undone.
 */
export async function copySqliteToPostgresql(
  fromUrl: string,
  toUrl: string,
  onProgress: CopyProgress = () => {},
): Promise<CopyOutcome> {
  const source = parseOrNull(fromUrl);
  const target = parseOrNull(toUrl);
  if (source?.kind !== 'sqlite')
    return refuse('COPY_SOURCE_NOT_SQLITE', `--from must be file:…, got ${redact(fromUrl)}`);
  if (target?.kind !== 'postgresql') {
    return refuse('COPY_TARGET_NOT_POSTGRESQL', `--to must be postgres://…, got ${redact(toUrl)}`);
  }
  if (!existsSync(source.file)) return refuse('COPY_SOURCE_MISSING', `no SQLite file at ${source.file}`);

  const sqlite = openRawSqlite(fromUrl);
  const client = await connectPg(target.connection, target.schema);
  try {
    return await copyBetween(sqlite, client, onProgress);
  } finally {
    sqlite.close();
    await client.end();
  }
}

function parseOrNull(url: string): DatabaseTarget | null {
  try {
    return parseDatabaseUrl(url);
  } catch (error) {
    if (error instanceof StorageError) return null;
    throw error;
  }
}

async function connectPg(fields: PgConnectionFields, schema: string | undefined): Promise<pg.Client> {
  const client = new pg.Client({ ...fields, connectionTimeoutMillis: 10_000 });
  await client.connect();
  if (schema) await client.query(`SET search_path TO ${quoteIdent(schema)}`);
  return client;
}

async function copyBetween(
  sqlite: Database.Database,
  client: pg.Client,
  onProgress: CopyProgress,
): Promise<CopyOutcome> {
  const migrations = await checkMigrations(sqlite, client);
  if (migrations) return migrations;

  const tables = sqliteTableOrder(sqlite);
  const targetColumns = await pgColumns(client);
  const mismatch = tableMismatch(tables, sqlite, targetColumns);
  if (mismatch) return mismatch;

  const occupied = await occupiedTables(client, tables);
  if (occupied.length > 0) {
    return refuse(
      'COPY_TARGET_NOT_EMPTY',
      `目标库已有数据，拒绝合并 / the target already has rows in ${occupied.join(', ')}; copy into an empty database`,
    );
  }

  sqlite.exec('BEGIN'); // one read snapshot of the source for the copy and the checks
  await client.query('BEGIN');
  let table = '';
  try {
    const copied: TableCopied[] = [];
    for (table of tables) {
      const columns = targetColumns.get(table) ?? [];
      copied.push({ table, rows: await copyTable(sqlite, client, table, columns, onProgress) });
    }
    await resetSequences(client, tables);
    const verified = await verifyCopy(sqlite, client, copied);
    await client.query(verified.ok ? 'COMMIT' : 'ROLLBACK');
    return verified.ok
      ? { ok: true, tables: copied, auditRows: verified.auditRows, lastAuditHash: verified.lastAuditHash }
      : verified;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof UnreadableValue) {
      return refuse(
        'COPY_UNREADABLE_VALUE',
        `无法转换，已全部撤销 / ${table}: ${error.message}; nothing was copied`,
      );
    }
    throw error;
  } finally {
    sqlite.exec('COMMIT');
  }
}

/** Both databases must hold exactly the migrations of this checkout, all finished and none rolled back. */
async function checkMigrations(
  sqlite: Database.Database,
  client: pg.Client,
): Promise<CopyRefusal | undefined> {
  const applied =
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1';
  const hasSqliteTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
    .get();
  const sqliteApplied = hasSqliteTable ? (sqlite.prepare(applied).pluck().all() as string[]) : [];
  const { rows: pgTable } = await client.query(
    "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present",
  );
  const pgApplied = pgTable[0]?.present
    ? (await client.query(applied)).rows.map((row: { migration_name: string }) => row.migration_name)
    : [];
  const sides: [string, string[], DatabaseTarget['kind']][] = [
    ['source', sqliteApplied, 'sqlite'],
    ['target', pgApplied, 'postgresql'],
  ];
  for (const [side, names, kind] of sides) {
    const expected = readMigrationList(migrationsDir(kind)).migrationDirectories.map((entry) => entry.path);
    if (names.join('\n') !== expected.join('\n')) {
      return refuse(
        'COPY_MIGRATIONS_NOT_CURRENT',
        `${side === 'source' ? '源库' : '目标库'}迁移未完成 / the ${side} database has migrations [${names.join(', ')}], ` +
          `expected [${expected.join(', ')}]; run \`DATABASE_URL=<${side}> npm run migrate:deploy -w prisma\` first`,
      );
    }
  }
  return undefined;
}

/** The source's app tables in foreign-key order, read from SQLite's own catalog. */
export function sqliteTableOrder(sqlite: Database.Database): string[] {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  return foreignKeyOrder(
    names.filter(isCopiedTable).map((name) => ({
      name,
      references: (sqlite.pragma(`foreign_key_list(${quoteIdent(name)})`) as { table: string }[]).map(
        (key) => key.table,
      ),
    })),
  );
}

async function pgColumns(client: pg.Client): Promise<Map<string, CopyColumn[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string }>(
    `SELECT table_name, column_name, udt_name FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const columns = new Map<string, CopyColumn[]>();
  for (const row of rows) {
    const list = columns.get(row.table_name) ?? [];
    list.push({ name: row.column_name, type: row.udt_name as PgColumnType });
    columns.set(row.table_name, list);
  }
  return columns;
}

/** Same migrations should mean same tables and columns; this catches a hand-altered database before any row moves. */
function tableMismatch(
  tables: string[],
  sqlite: Database.Database,
  targetColumns: Map<string, CopyColumn[]>,
): CopyRefusal | undefined {
  for (const table of tables) {
    const target = targetColumns.get(table);
    const sourceNames = (sqlite.pragma(`table_info(${quoteIdent(table)})`) as { name: string }[])
      .map((column) => column.name)
      .sort();
    const targetNames = (target ?? []).map((column) => column.name).sort();
    const odd = (target ?? []).find((column) => !pgColumnTypes.includes(column.type));
    if (!target || sourceNames.join() !== targetNames.join() || odd) {
      return refuse(
        'COPY_TABLES_DIFFER',
        `表结构不一致 / table ${table} differs: source [${sourceNames.join(', ')}], target [${targetNames.join(', ')}]` +
          (odd ? `; unsupported column type ${odd.type}` : ''),
      );
    }
  }
  return undefined;
}

async function occupiedTables(client: pg.Client, tables: string[]): Promise<string[]> {
  const occupied: string[] = [];
  for (const table of tables) {
    const { rowCount } = await client.query(`SELECT 1 FROM ${quoteIdent(table)} LIMIT 1`);
    if (rowCount) occupied.push(table);
  }
  return occupied;
}

async function copyTable(
  sqlite: Database.Database,
  client: pg.Client,
  table: string,
  columns: CopyColumn[],
  onProgress: CopyProgress,
): Promise<number> {
  const total = sqliteCount(sqlite, table);
  onProgress(table, 0, total);
  const select = sqlite
    .prepare(
      `SELECT ${columns.map((column) => quoteIdent(column.name)).join(', ')} FROM ${quoteIdent(table)} ORDER BY rowid`,
    )
    .raw();
  const insert = batchInsertSql(table, columns);
  let done = 0;
  let batch: unknown[][] = [];
  const flush = async () => {
    await client.query(insert, batchParameters(batch, columns));
    done += batch.length;
    batch = [];
    onProgress(table, done, total);
  };
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length === copyBatchRows) await flush();
  }
  if (batch.length > 0) await flush();
  return done;
}

function sqliteCount(sqlite: Database.Database, table: string): number {
  return sqlite
    .prepare(`SELECT count(*) FROM ${quoteIdent(table)}`)
    .pluck()
    .get() as number;
}

/** Copied ids keep their values, so each serial column's sequence moves past the largest id (or restarts at 1). */
async function resetSequences(client: pg.Client, tables: string[]): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const { table_name: table, column_name: column } of rows.filter((row) =>
    tables.includes(row.table_name),
  )) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quoteIdent(column)}), 1), max(${quoteIdent(column)}) IS NOT NULL)
         FROM ${quoteIdent(table)}`,
      [quoteIdent(table), column],
    );
  }
}

interface AuditRow {
  seq: number;
  atMillis: number;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  data: string;
  prevHash: string;
  hash: string;
}

type Verified = { ok: true; auditRows: number; lastAuditHash: string | null } | CopyRefusal;

/**
 * Row counts per table, then the audit log row by row: every field its hashes cover (the time to the
 * millisecond, actor, action, entity, data) and the hashes themselves. Equal rows mean the target's chain
 * verifies exactly when the source's does, without this package repeating the server's hash rules.
 */
async function verifyCopy(
  sqlite: Database.Database,
  client: pg.Client,
  copied: TableCopied[],
): Promise<Verified> {
  for (const { table, rows } of copied) {
    const sourceRows = sqliteCount(sqlite, table);
    const { rows: counted } = await client.query(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`);
    const targetRows = counted[0]?.n as number;
    if (sourceRows !== rows || targetRows !== rows) {
      return refuse(
        'COPY_VERIFY_FAILED',
        `行数不一致 / ${table}: source ${sourceRows}, copied ${rows}, target ${targetRows}`,
      );
    }
  }
  const source = (
    sqlite
      .prepare(
        'SELECT seq, at, actor, action, entity, entityId, data, prevHash, hash FROM AuditLog ORDER BY seq',
      )
      .all() as (Omit<AuditRow, 'atMillis'> & { at: string | number })[]
  ).map(({ at, ...row }) => ({ ...row, atMillis: sqliteDateTimeMillis(at) }));
  const { rows: target } = await client.query<Omit<AuditRow, 'atMillis'> & { atText: string }>(
    `SELECT seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "atText", actor, action, entity, "entityId", data,
            "prevHash", hash FROM "AuditLog" ORDER BY seq`,
  );
  for (const [index, expected] of source.entries()) {
    const { atText, ...row } = target[index] ?? { atText: '' };
    const actual = { ...row, atMillis: Date.parse(atText) };
    const differing = (Object.keys(expected) as (keyof AuditRow)[]).find(
      (key) => expected[key] !== actual[key as keyof typeof actual],
    );
    if (differing) {
      return refuse(
        'COPY_VERIFY_FAILED',
        `审计链不一致 / audit log row seq ${expected.seq} differs in ${differing} after the copy`,
      );
    }
  }
  return { ok: true, auditRows: source.length, lastAuditHash: source.at(-1)?.hash ?? null };
}
