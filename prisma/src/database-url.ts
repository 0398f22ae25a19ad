import path from 'node:path';
import { z } from 'zod';
import { StorageError } from './storage-error.ts';

export type DatabaseKind = 'sqlite' | 'postgresql';

/** Connection settings for pg, taken apart so no `connectionString` can override `database` (see storage.md). */
export interface PgConnectionFields {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
}

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgresql'; connection: PgConnectionFields; schema: string | undefined };

const pgUrlShape = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535),
  user: z.string().min(1),
  database: z.string().min(1),
});

/** The database kind a URL names: `file:` is SQLite, `postgres://` or `postgresql://` is PostgreSQL. */
export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  throw new StorageError('UNSUPPORTED_DATABASE_URL', `expected file:… or postgres://…, got "${redact(url)}"`);
}

/**
 * Parses a database URL. A relative SQLite path is resolved against `cwd`, as better-sqlite3 would;
 * query parameters after `?` are ignored for SQLite.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (databaseKind(url) === 'sqlite') {
    const file = url.slice('file:'.length).split('?')[0] ?? '';
    if (file === '') throw new StorageError('INVALID_DATABASE_URL', 'a file: URL needs a path');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new StorageError('INVALID_DATABASE_URL', `not a URL: "${redact(url)}"`, { cause });
  }
  const fields = pgUrlShape.safeParse({
    host: parsed.hostname,
    port: parsed.port === '' ? 5432 : parsed.port,
    user: decodeURIComponent(parsed.username),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  });
  if (!fields.success) {
    const problems = fields.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new StorageError('INVALID_DATABASE_URL', `PostgreSQL URL lacks or mangles: ${problems}`);
  }
  return {
    kind: 'postgresql',
    connection: {
      ...fields.data,
      password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    },
    schema: parsed.searchParams.get('schema') ?? undefined,
  };
}

/** The URL of another database on the same PostgreSQL server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Hides a password before a URL goes into a message. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
