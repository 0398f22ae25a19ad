import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DatabaseKind } from './database-url.ts';
import { packageDir, schemaPaths, toPostgresqlSchema } from './schema-files.ts';
import { StorageError } from './storage-error.ts';

/**
 * Writes schema.postgresql.prisma from schema.prisma, then generates both clients with the prisma CLI. Runs as
 * the package's postinstall, so every path is taken from this file, not from the working directory; the CLI's
 * engine download is switched off by prisma.config.ts.
 */
function generate(): void {
  const postgresql = toPostgresqlSchema(readFileSync(schemaPaths.sqlite, 'utf8'));
  writeFileSync(schemaPaths.postgresql, postgresql);
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  for (const kind of ['sqlite', 'postgresql'] satisfies DatabaseKind[]) {
    try {
      execFileSync(process.execPath, [cli, 'generate', '--schema', path.basename(schemaPaths[kind])], {
        cwd: packageDir,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      });
    } catch (cause) {
      throw new StorageError('GENERATE_FAILED', `prisma generate failed for ${kind}`, { cause });
    }
  }
}

generate();
