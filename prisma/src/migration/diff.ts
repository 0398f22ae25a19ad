import { z } from 'zod';
import type { DatabaseKind } from '../database-url.ts';
import { noFilter, type SchemaFile } from './engine.ts';
import { migrationsDir, readMigrationList } from './migrations-folder.ts';
import { currentSchema, withScratchEngine } from './schema-sessions.ts';

/** What the migrations folder still lacks to reach the schema. */
export interface SchemaDiff {
  kind: DatabaseKind;
  /** true when replaying the migrations already yields the schema */
  empty: boolean;
  /** the migration SQL that would close the gap (a comment only when `empty`) */
  sql: string;
}

/** With `exitCode: true` the engine answers 0 for no difference and 2 for some, as `prisma migrate diff` does. */
const diffAnswer = z.object({ exitCode: z.union([z.literal(0), z.literal(2)]), stdout: z.string() });

/**
 * Diffs the migrations folder of `kind` (replayed on a shadow database) against `schema`, by default schema.prisma.
 * PostgreSQL needs a live server: `pgServerUrl` names it.
 */
export async function diffMigrationsToSchema(
  kind: DatabaseKind,
  pgServerUrl: string,
  schema: SchemaFile = currentSchema(kind),
): Promise<SchemaDiff> {
  const history = readMigrationList(migrationsDir(kind));
  const from =
    history.migrationDirectories.length === 0
      ? { tag: 'empty' as const }
      : { tag: 'migrations' as const, ...history };
  const answer = await withScratchEngine(kind, pgServerUrl, (engine) =>
    engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: noFilter,
    }),
  );
  const { exitCode, stdout } = diffAnswer.parse(answer);
  return { kind, empty: exitCode === 0, sql: stdout };
}
