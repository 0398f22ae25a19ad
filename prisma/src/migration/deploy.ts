import { z } from 'zod';
import { databaseKind } from '../database-url.ts';
import { noFilter } from './engine.ts';
import { migrationsDir, readMigrationList } from './migrations-folder.ts';
import { withEngineOn } from './schema-sessions.ts';

const applyAnswer = z.object({ appliedMigrationNames: z.array(z.string()) });

/**
 * Applies the pending migrations of the matching folder (file: → sqlite, postgres:// → postgresql) to the
 * database at `databaseUrl`. The engine records each in `_prisma_migrations` exactly as `prisma migrate deploy`
 * does, so the real CLI can take over. Returns the names applied now; empty when the database was current.
 */
export async function applyMigrations(databaseUrl: string): Promise<{ applied: string[] }> {
  const migrationsList = readMigrationList(migrationsDir(databaseKind(databaseUrl)));
  const answer = await withEngineOn(databaseUrl, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilter }),
  );
  return { applied: applyAnswer.parse(answer).appliedMigrationNames };
}
