import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { PgConnectionFields } from './database-url.ts';

const pgCharOid = 18;
const pgTextOid = 25;

/**
 * The schema engine reads catalog columns of PostgreSQL's one-byte `"char"` type (pg_class.relkind and the like),
 * which adapter-pg refuses as an unsupported type. Their text form is the character itself, so this pool reports
 * them as text. Only the migration engine needs it; the application's pool is a plain one.
 */
class CatalogFriendlyPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Pool#query is a set of overloads; this passes all of them through.
  override query(...args: any[]): any {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return result instanceof Promise ? result.then(reportCharAsText) : result;
  }
}

function reportCharAsText(result: pg.QueryResult): pg.QueryResult {
  for (const field of result.fields ?? []) if (field.dataTypeID === pgCharOid) field.dataTypeID = pgTextOid;
  return result;
}

/** A plain pool built from discrete fields: a `connectionString` would override `database`. */
export function pgPool(fields: PgConnectionFields, max?: number): pg.Pool {
  return new pg.Pool({ ...fields, ...(max === undefined ? {} : { max }) });
}

/**
 * The adapter factory the migration engine uses. Its shadow database is a fresh database on the same server,
 * dropped when the engine lets go of it (adapter-pg's own shadow connection would reach the main database).
 */
export function pgMigrationAdapterFactory(
  fields: PgConnectionFields,
  schema: string | undefined,
): SqlMigrationAwareDriverAdapterFactory {
  const open = (database: string) =>
    new PrismaPg(new CatalogFriendlyPool({ ...fields, database, max: 2 }), {
      schema,
      disposeExternalPool: true,
    }).connect();
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => open(fields.database),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const shadow = scratchDatabaseName('lz_shadow');
      await createDatabase(fields, shadow);
      const adapter = await open(shadow);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await dropDatabase(fields, shadow);
      };
      return adapter;
    },
  };
}

export function scratchDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Creates a database, connecting through the database named in `via`. */
export async function createDatabase(via: PgConnectionFields, name: string): Promise<void> {
  await withClient(via, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
}

export async function dropDatabase(via: PgConnectionFields, name: string): Promise<void> {
  await withClient(via, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

async function withClient<T>(fields: PgConnectionFields, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...fields, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
