import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { diffMigrationsToSchema } from '../../src/migration/diff.ts';
import { migrationsDir, readMigrationList } from '../../src/migration/migrations-folder.ts';
import { currentSchema } from '../../src/migration/schema-sessions.ts';
import { openRawSqlite } from '../../src/sqlite.ts';
import { scratchSqliteUrl } from './scratch-file.ts';

const unusedPgServer = 'postgres://unused@127.0.0.1:1/unused';
const history = readMigrationList(migrationsDir('sqlite')).migrationDirectories.map((entry) => entry.path);
let scratch: ReturnType<typeof scratchSqliteUrl> | undefined;
afterEach(() => scratch?.remove());

describe('SQLite migrations', () => {
  it('apply to a fresh file, recording rows `prisma migrate deploy` recognises', async () => {
    scratch = scratchSqliteUrl();
    expect(await applyMigrations(scratch.url)).toEqual({ applied: history });

    const db = openRawSqlite(scratch.url);
    const rows = db
      .prepare(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY 1',
      )
      .all() as { migration_name: string; checksum: string; finished_at: string | null }[];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    db.close();

    expect(rows.map((row) => row.migration_name)).toEqual(history);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir('sqlite'), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
    }
    expect(tables).toEqual(expect.arrayContaining(['Lot', 'Scan', 'Certificate', 'AuditLog']));
  });

  it('are idempotent: a second deploy applies nothing', async () => {
    scratch = scratchSqliteUrl();
    await applyMigrations(scratch.url);
    const started = performance.now();
    expect(await applyMigrations(scratch.url)).toEqual({ applied: [] });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reproduce schema.prisma exactly (run `npm run migrate:create -w prisma -- <name>` when this fails)', async () => {
    const diff = await diffMigrationsToSchema('sqlite', unusedPgServer);
    expect(diff.sql).toMatch(/empty migration/i);
    expect(diff.empty).toBe(true);
  });

  it('would be caught lagging behind a schema change', async () => {
    const schema = currentSchema('sqlite');
    const changed = {
      ...schema,
      content: schema.content.replace('model Product {', 'model Product {\n  brand String?'),
    };
    const diff = await diffMigrationsToSchema('sqlite', unusedPgServer, changed);
    expect(diff.empty).toBe(false);
    expect(diff.sql).toContain('"brand" TEXT');
  });
});
