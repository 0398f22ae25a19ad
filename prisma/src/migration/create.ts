import type { DatabaseKind } from '../database-url.ts';
import { StorageError } from '../storage-error.ts';
import { diffMigrationsToSchema } from './diff.ts';
import { migrationFolderName, writeMigration } from './migrations-folder.ts';

export const databaseKinds: readonly DatabaseKind[] = ['sqlite', 'postgresql'];

export type CreateOutcome =
  | { created: true; folderName: string; folders: string[] }
  | { created: false; reason: 'NO_CHANGES' };

/**
 * Writes migration `name` for both databases from the diff between each migrations folder and schema.prisma.
 * Both kinds get the same folder name, or neither gets one: the histories stay in step.
 */
export async function createMigration(
  name: string,
  pgServerUrl: string,
  at = new Date(),
): Promise<CreateOutcome> {
  const folderName = migrationFolderName(at, name);
  const diffs = [];
  for (const kind of databaseKinds) diffs.push(await diffMigrationsToSchema(kind, pgServerUrl));
  const changed = diffs.filter((diff) => !diff.empty);
  if (changed.length === 0) return { created: false, reason: 'NO_CHANGES' };
  if (changed.length !== diffs.length) {
    const kinds = changed.map((diff) => diff.kind).join(', ');
    throw new StorageError(
      'MIGRATIONS_DISAGREE',
      `only ${kinds} differs from the schema; fix the other history`,
    );
  }
  return {
    created: true,
    folderName,
    folders: diffs.map((diff) => writeMigration(diff.kind, folderName, diff.sql)),
  };
}
