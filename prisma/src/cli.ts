import { databaseUrlFromEnv } from './client.ts';
import { redact } from './database-url.ts';
import { copySqliteToPostgresql } from './migration/copy.ts';
import { createMigration } from './migration/create.ts';
import { applyMigrations } from './migration/deploy.ts';
import { StorageError } from './storage-error.ts';

const usage = `usage:
  tsx src/cli.ts create <name>   write migrations/{sqlite,postgresql}/<UTC stamp>_<name>/migration.sql
                                 (PG_URL names a PostgreSQL server for the diff; default ${defaultPgServer()})
  tsx src/cli.ts deploy          apply pending migrations to DATABASE_URL
  tsx src/cli.ts copy --from file:<sqlite path> --to postgres://…
                                 copy every row into an empty PostgreSQL database at the same migration`;

function defaultPgServer(): string {
  return process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function main(args: string[]): Promise<number> {
  const [command, name] = args;
  if (command === 'create' && name) {
    const outcome = await createMigration(name, defaultPgServer());
    if (!outcome.created) console.log('schema.prisma matches the migrations: nothing to create');
    else for (const folder of outcome.folders) console.log(`created ${folder}`);
    return 0;
  }
  if (command === 'deploy' && !name) {
    const url = databaseUrlFromEnv();
    const { applied } = await applyMigrations(url);
    console.log(`${redact(url)}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}`);
    return 0;
  }
  if (command === 'copy') return copy(args.slice(1));
  console.error(usage);
  return 64;
}

/** Exit 0 when copied and verified, 2 when refused (nothing was written), 64 on a malformed command line. */
async function copy(args: string[]): Promise<number> {
  const from = optionValue(args, '--from');
  const to = optionValue(args, '--to');
  if (!from || !to || args.length !== 4) {
    console.error(usage);
    return 64;
  }
  const outcome = await copySqliteToPostgresql(from, to, (table, done, total) =>
    console.error(`复制中 / copying ${table}: ${done}/${total}`),
  );
  if (!outcome.ok) {
    console.error(`${outcome.code}: ${outcome.message}`);
    return 2;
  }
  const rows = outcome.tables.reduce((sum, table) => sum + table.rows, 0);
  for (const table of outcome.tables) console.log(`${table.table.padEnd(18)} ${table.rows}`);
  console.log(
    `已复制并核对 / copied and verified ${rows} rows in ${outcome.tables.length} tables to ${redact(to)}; ` +
      `审计日志 / audit log ${outcome.auditRows} rows, last hash ${outcome.lastAuditHash ?? '(empty)'}`,
  );
  return 0;
}

function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof StorageError ? error.message : error);
  process.exitCode = 1;
}
