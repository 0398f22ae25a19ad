import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../src/client.ts';
import { parseDatabaseUrl, withDatabase } from '../../src/database-url.ts';
import { copySqliteToPostgresql, isCopiedTable } from '../../src/migration/copy.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { createDatabase, dropDatabase, pgPool, scratchDatabaseName } from '../../src/postgresql.ts';
import { packageDir, schemaPaths } from '../../src/schema-files.ts';
import { openRawSqlite } from '../../src/sqlite.ts';
import { scratchSqliteUrl } from '../sqlite/scratch-file.ts';
import { seedEveryTable, seededScans } from './copy-seed.ts';
import { describePg, pgServerUrl } from './server.ts';

const run = promisify(execFile);
const tsxCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
  'dist/cli.mjs',
);

/** Every model but the figures summary, which the server rebuilds from the copied rows. */
const models = [...readFileSync(schemaPaths.sqlite, 'utf8').matchAll(/^model (\w+) \{/gm)]
  .map((match) => match[1] ?? '')
  .filter(isCopiedTable);

describePg('migrate:copy from SQLite to PostgreSQL', () => {
  const sqlite = scratchSqliteUrl();
  const broken = scratchSqliteUrl();
  const names = {
    copied: scratchDatabaseName('lz_test'),
    fresh: scratchDatabaseName('lz_test'),
    atomic: scratchDatabaseName('lz_test'),
  };
  const server = () => {
    const target = parseDatabaseUrl(pgServerUrl);
    if (target.kind !== 'postgresql') throw new Error('PG_URL must be a postgres:// URL');
    return target.connection;
  };
  const copiedUrl = withDatabase(pgServerUrl, names.copied);
  let source: PrismaClient | undefined;
  let target: PrismaClient | undefined;
  let cli: { stdout: string; stderr: string } = { stdout: '', stderr: '' };

  beforeAll(async () => {
    await applyMigrations(sqlite.url);
    source = createPrismaClient(sqlite.url);
    await seedEveryTable(source, sqlite.url);
    await createDatabase(server(), names.copied);
    await createDatabase(server(), names.fresh);
    await applyMigrations(copiedUrl);
    cli = await runCli(['--from', sqlite.url, '--to', copiedUrl]);
    target = createPrismaClient(copiedUrl);
  }, 180_000);
  afterAll(async () => {
    await source?.$disconnect();
    await target?.$disconnect();
    for (const name of Object.values(names)) await dropDatabase(server(), name);
    sqlite.remove();
    broken.remove();
  });

  it('copies every row of every model, field by field', async () => {
    for (const model of models) {
      const [from, to] = await Promise.all([allRows(source!, model), allRows(target!, model)]);
      expect(from.length, model).toBeGreaterThan(0);
      expect(to, model).toEqual(from);
    }
    expect(await target!.scan.count()).toBe(seededScans);
    const photo = await target!.lotDocument.findUniqueOrThrow({ where: { id: 'doc-1' } });
    expect(photo.photo?.length).toBe(70_000);
    const rawTimed = await target!.trustChange.findFirstOrThrow({ where: { kind: 'rules' } });
    expect(Math.abs(rawTimed.at.getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('reports progress per table on stderr and a summary on stdout', () => {
    expect(cli.stderr).toContain(`复制中 / copying Scan: 2000/${seededScans}`);
    expect(cli.stderr).toContain(`复制中 / copying Scan: ${seededScans}/${seededScans}`);
    for (const model of models) expect(cli.stderr).toMatch(new RegExp(`copying ${model}: \\d+/\\d+`));
    expect(cli.stdout).toMatch(/copied and verified \d+ rows in \d+ tables/);
    expect(cli.stdout).toContain('audit log 25 rows');
  });

  it('moves each sequence past the largest copied id', async () => {
    const market = await target!.market.create({
      data: { name: '新市场', kind: 'wholesale', regionCode: '330106' },
    });
    expect(market.id).toBe(41);
    const event = await target!.violationEvent.create({ data: { violationId: 'vio-1', type: 'note' } });
    expect(event.id).toBe(3);
    const audit = await target!.auditLog.create({
      data: { actor: 'a', action: 'b', entity: 'c', entityId: 'd', prevHash: 'p', hash: 'h' },
    });
    expect(audit.seq).toBe(26);
  });

  it('refuses a target that already has rows, exit 2', async () => {
    expect(await copySqliteToPostgresql(sqlite.url, copiedUrl)).toMatchObject({
      ok: false,
      code: 'COPY_TARGET_NOT_EMPTY',
    });
    const refused = await runCli(['--from', sqlite.url, '--to', copiedUrl]).catch((error) => error);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('COPY_TARGET_NOT_EMPTY');
  });

  it('refuses a target behind on migrations, and writes nothing', async () => {
    const freshUrl = withDatabase(pgServerUrl, names.fresh);
    const outcome = await copySqliteToPostgresql(sqlite.url, freshUrl);
    expect(outcome).toMatchObject({ ok: false, code: 'COPY_MIGRATIONS_NOT_CURRENT' });
    expect(!outcome.ok && outcome.message).toContain('target');

    await applyMigrations(freshUrl);
    const pool = pgPool({ ...server(), database: names.fresh }, 1);
    try {
      await pool.query(`DELETE FROM _prisma_migrations WHERE migration_name LIKE '%_retention_guard'`);
      const oneBehind = await copySqliteToPostgresql(sqlite.url, freshUrl);
      expect(!oneBehind.ok && oneBehind.message).toMatch(
        /target database has migrations \[\d+_init, \d+_custody(, \d+_\w+)*\]/,
      );
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM "Region"');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await pool.end();
    }
  });

  it('refuses a source that is not SQLite and a target that is not PostgreSQL', async () => {
    expect(await copySqliteToPostgresql(copiedUrl, copiedUrl)).toMatchObject({
      code: 'COPY_SOURCE_NOT_SQLITE',
    });
    expect(await copySqliteToPostgresql(sqlite.url, sqlite.url)).toMatchObject({
      code: 'COPY_TARGET_NOT_POSTGRESQL',
    });
    expect(await copySqliteToPostgresql(sqlite.url, 'mysql://root@127.0.0.1/x')).toMatchObject({
      code: 'COPY_TARGET_NOT_POSTGRESQL',
    });
    expect(await copySqliteToPostgresql('file:/nonexistent/lz.db', copiedUrl)).toMatchObject({
      code: 'COPY_SOURCE_MISSING',
    });
  });

  it('undoes the whole copy when a row fails half-way', async () => {
    await applyMigrations(broken.url);
    const raw = openRawSqlite(broken.url);
    try {
      raw.exec(`INSERT INTO Region (code, name, level) VALUES ('330106', '西湖区', 'county');
        INSERT INTO Market (name, kind, regionCode) VALUES ('市场', 'wholesale', '330106');
        INSERT INTO Lot (id, marketId, productName, category, quantity, unit, openedAt)
          VALUES ('lot-bad', 1, '番茄', 'vegetable', 1, 'kg', 'yesterday');`);
    } finally {
      raw.close();
    }
    const atomicUrl = withDatabase(pgServerUrl, names.atomic);
    await createDatabase(server(), names.atomic);
    await applyMigrations(atomicUrl);
    const copied: string[] = [];
    const outcome = await copySqliteToPostgresql(broken.url, atomicUrl, (table, done) => {
      if (done > 0) copied.push(table);
    });
    expect(outcome).toMatchObject({ ok: false, code: 'COPY_UNREADABLE_VALUE' });
    expect(!outcome.ok && outcome.message).toMatch(/Lot: not a SQLite DateTime: "yesterday"/);
    expect(copied).toEqual(expect.arrayContaining(['Region', 'Market']));
    const check = createPrismaClient(atomicUrl);
    try {
      expect([await check.region.count(), await check.market.count()]).toEqual([0, 0]);
    } finally {
      await check.$disconnect();
    }
  });
});

function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [tsxCli, 'src/cli.ts', 'copy', ...args], { cwd: packageDir });
}

/** Every row of a model, in a fixed order whatever order the database returns them in. */
async function allRows(prisma: PrismaClient, model: string): Promise<unknown[]> {
  const delegate = (prisma as unknown as Record<string, { findMany: () => Promise<unknown[]> }>)[
    `${model[0]?.toLowerCase()}${model.slice(1)}`
  ];
  if (!delegate) throw new Error(`no delegate for model ${model}`);
  const rows = await delegate.findMany();
  return rows
    .map((row) => ({ key: JSON.stringify(row), row }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map(({ row }) => row);
}
