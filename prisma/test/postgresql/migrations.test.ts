import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDatabaseUrl, withDatabase } from '../../src/database-url.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { diffMigrationsToSchema } from '../../src/migration/diff.ts';
import { migrationsDir, readMigrationList } from '../../src/migration/migrations-folder.ts';
import { currentSchema } from '../../src/migration/schema-sessions.ts';
import { createDatabase, dropDatabase, pgPool, scratchDatabaseName } from '../../src/postgresql.ts';
import { describePg, pgServerUrl } from './server.ts';

describePg('PostgreSQL migrations', () => {
  const name = scratchDatabaseName('lz_test');
  const server = () => {
    const target = parseDatabaseUrl(pgServerUrl);
    if (target.kind !== 'postgresql') throw new Error('PG_URL must be a postgres:// URL');
    return target.connection;
  };
  beforeAll(() => createDatabase(server(), name));
  afterAll(() => dropDatabase(server(), name));

  it('apply to a fresh database, then a second deploy applies nothing', async () => {
    const url = withDatabase(pgServerUrl, name);
    const history = readMigrationList(migrationsDir('postgresql')).migrationDirectories.map((e) => e.path);
    expect(await applyMigrations(url)).toEqual({ applied: history });
    expect(await applyMigrations(url)).toEqual({ applied: [] });

    const pool = pgPool({ ...server(), database: name }, 1);
    try {
      const { rows } = await pool.query(
        'SELECT migration_name, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY 1',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(history);
      expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('reproduce schema.prisma exactly (run `npm run migrate:create -w prisma -- <name>` when this fails)', async () => {
    const diff = await diffMigrationsToSchema('postgresql', pgServerUrl);
    expect(diff.sql).toMatch(/empty migration/i);
    expect(diff.empty).toBe(true);
  });

  it('would be caught lagging behind a schema change', async () => {
    const schema = currentSchema('postgresql');
    const changed = {
      ...schema,
      content: schema.content.replace('model Product {', 'model Product {\n  brand String?'),
    };
    const diff = await diffMigrationsToSchema('postgresql', pgServerUrl, changed);
    expect(diff.empty).toBe(false);
    expect(diff.sql).toContain('"brand" TEXT');
  });
});
