import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../../src/client.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { openRawSqlite } from '../../src/sqlite.ts';
import { scratchSqliteUrl } from './scratch-file.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;

/** The database and the WAL files beside it, as SQLite leaves them while a connection is open. */
const databaseFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`];

describe('SQLite data files are owner-only (0600), like the key files', () => {
  const scratches: { remove(): void }[] = [];
  afterEach(() => {
    for (const scratch of scratches.splice(0)) scratch.remove();
  });

  it('creates the database, its -wal and its -shm 0600 whatever the umask', async () => {
    const scratch = scratchSqliteUrl();
    scratches.push(scratch);
    const umask = process.umask(0o022);
    try {
      await applyMigrations(scratch.url);
      const prisma = createPrismaClient(scratch.url);
      try {
        await prisma.market.count();
        for (const each of databaseFiles(scratch.file)) {
          expect(existsSync(each), each).toBe(true);
          expect(modeOf(each), each).toBe(0o600);
        }
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      process.umask(umask);
    }
  });

  it('narrows a database file an earlier version left world-readable', () => {
    const scratch = scratchSqliteUrl();
    scratches.push(scratch);
    const file = scratch.file;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const db = openRawSqlite(scratch.url);
    try {
      db.exec('CREATE TABLE t (x)');
      for (const each of databaseFiles(file)) expect(modeOf(each), each).toBe(0o600);
    } finally {
      db.close();
    }
  });
});
