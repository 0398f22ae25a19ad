import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSeveralStatements, statementCount } from '../src/migration/engine.ts';
import { lockfileText, migrationFolderName, readMigrationList } from '../src/migration/migrations-folder.ts';
import { schemaPaths, toPostgresqlSchema } from '../src/schema-files.ts';

describe('schema.postgresql.prisma', () => {
  it('is what generate.ts would write now (run `npm run generate -w prisma` when this fails)', () => {
    const rendered = toPostgresqlSchema(readFileSync(schemaPaths.sqlite, 'utf8'));
    expect(readFileSync(schemaPaths.postgresql, 'utf8')).toBe(rendered);
  });

  it('rewrites only the provider and the client output', () => {
    const sqlite =
      'generator client {\n  output = "./generated/sqlite"\n}\ndatasource db {\n  provider = "sqlite"\n}\n';
    const rendered = toPostgresqlSchema(sqlite);
    const expected = sqlite
      .replace('"./generated/sqlite"', '"./generated/postgresql"')
      .replace('"sqlite"', '"postgresql"');
    expect(rendered).toMatch(/^\/\/ GENERATED/);
    expect(rendered.split('\n').slice(1).join('\n')).toBe(expected);
  });

  it('refuses a schema whose datasource it cannot find', () => {
    expect(() => toPostgresqlSchema('datasource db {\n  provider = "mysql"\n}\n')).toThrowError(
      expect.objectContaining({ code: 'SCHEMA_LAYOUT_CHANGED' }),
    );
  });
});

describe('migration folders', () => {
  it('are named by UTC second, then name', () => {
    expect(migrationFolderName(new Date('2026-03-04T05:06:07.890Z'), 'add_scan_index')).toBe(
      '20260304050607_add_scan_index',
    );
    expect(() => migrationFolderName(new Date(), 'Add Index')).toThrowError(
      expect.objectContaining({ code: 'INVALID_MIGRATION_NAME' }),
    );
  });

  it('are read in order with the lockfile, as the engine expects', () => {
    for (const kind of ['sqlite', 'postgresql'] as const) {
      const list = readMigrationList(`${import.meta.dirname}/../migrations/${kind}`);
      expect(list.lockfile.content).toBe(lockfileText(kind));
      const names = list.migrationDirectories.map((entry) => entry.path);
      expect(names.length).toBeGreaterThan(0);
      expect(names).toEqual([...names].sort());
      expect(names.at(0)).toMatch(/^\d{14}_init$/);
    }
  });

  it('hold the same history for both databases', () => {
    const names = (kind: string) =>
      readMigrationList(`${import.meta.dirname}/../migrations/${kind}`).migrationDirectories.map(
        (e) => e.path,
      );
    expect(names('postgresql')).toEqual(names('sqlite'));
  });

  it('count statements past quotes, comments and a final semicolon', () => {
    expect(hasSeveralStatements('CREATE TABLE "a" (x TEXT);')).toBe(false);
    expect(hasSeveralStatements("INSERT INTO a VALUES ('x;y'); -- done; really")).toBe(false);
    expect(hasSeveralStatements('CREATE TABLE a (x INT);\n/* ; */\nCREATE INDEX i ON a(x);')).toBe(true);
    expect(hasSeveralStatements("-- a record's age\nCREATE TABLE a (x INT);\nCREATE INDEX i ON a(x);")).toBe(
      true,
    );
    expect(hasSeveralStatements("SELECT '-- not a comment;' AS x;")).toBe(false);
  });

  it('count no statement in a file of comments only, which the SQLite engine then skips', () => {
    expect(statementCount('-- nothing on SQLite; see PostgreSQL\n/* ; */\n')).toBe(0);
    expect(statementCount("SELECT ';' AS x; -- one")).toBe(1);
  });
});
