import { databaseUrlFromEnv } from './client.ts';
import { redact } from './database-url.ts';
import { createMigration } from './migration/create.ts';
import { applyMigrations } from './migration/deploy.ts';
import { StorageError } from './storage-error.ts';

const usage = `usage:
  tsx src/cli.ts create <name>   write migrations/{sqlite,postgresql}/<UTC stamp>_<name>/migration.sql
                                 (PG_URL names a PostgreSQL server for the diff; default ${defaultPgServer()})
  tsx src/cli.ts deploy          apply pending migrations to DATABASE_URL`;

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
  console.error(usage);
  return 64;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof StorageError ? error.message : error);
  process.exitCode = 1;
}
