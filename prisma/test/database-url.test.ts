import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseKind, parseDatabaseUrl, redact, withDatabase } from '../src/database-url.ts';
import { StorageError } from '../src/storage-error.ts';

describe('database URLs', () => {
  it('tells SQLite from PostgreSQL by scheme', () => {
    expect(databaseKind('file:./data/x.db')).toBe('sqlite');
    expect(databaseKind('postgres://u@h/db')).toBe('postgresql');
    expect(databaseKind('postgresql://u@h/db')).toBe('postgresql');
  });

  it('refuses other schemes with a code', () => {
    expect(() => databaseKind('mysql://u@h/db')).toThrowError(
      expect.objectContaining({ code: 'UNSUPPORTED_DATABASE_URL' }),
    );
  });

  it('resolves a relative SQLite path against the working folder and drops query parameters', () => {
    expect(parseDatabaseUrl('file:./data/x.db?mode=rwc', '/srv/app')).toEqual({
      kind: 'sqlite',
      file: path.resolve('/srv/app', 'data/x.db'),
    });
    expect(parseDatabaseUrl('file::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('takes a PostgreSQL URL apart into pool fields, decoding escapes', () => {
    expect(parseDatabaseUrl('postgres://lz%40ops:p%2Fw@db.local:6543/liang%20zheng?schema=gate')).toEqual({
      kind: 'postgresql',
      connection: { host: 'db.local', port: 6543, user: 'lz@ops', password: 'p/w', database: 'liang zheng' },
      schema: 'gate',
    });
    expect(parseDatabaseUrl('postgres://postgres@127.0.0.1/test')).toMatchObject({
      connection: { port: 5432, password: undefined, database: 'test' },
      schema: undefined,
    });
  });

  it('names what a PostgreSQL URL lacks', () => {
    const missing = () => parseDatabaseUrl('postgres://127.0.0.1:5432/');
    expect(missing).toThrowError(StorageError);
    expect(missing).toThrowError(/INVALID_DATABASE_URL.*user.*database/);
  });

  it('swaps the database and hides passwords', () => {
    expect(withDatabase('postgres://u:pw@h:5432/postgres?schema=s', 'lz_test_1')).toBe(
      'postgres://u:pw@h:5432/lz_test_1?schema=s',
    );
    expect(redact('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
});
