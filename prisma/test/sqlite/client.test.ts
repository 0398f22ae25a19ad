import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../src/client.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { openRawSqlite } from '../../src/sqlite.ts';
import { crudRoundTrip } from '../crud-round-trip.ts';
import { scratchSqliteUrl } from './scratch-file.ts';

const scratch = scratchSqliteUrl();
let prisma: PrismaClient;

beforeAll(async () => {
  await applyMigrations(scratch.url);
  prisma = createPrismaClient(scratch.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  scratch.remove();
});

describe('createPrismaClient on SQLite', () => {
  it('round-trips create, read, update and delete', async () => {
    await crudRoundTrip(prisma);
  });

  it('sets the PRAGMAs on its connection', async () => {
    const read = async (pragma: string) =>
      Object.values(
        ((await prisma.$queryRawUnsafe(`PRAGMA ${pragma}`)) as Record<string, unknown>[])[0] ?? {},
      );
    expect(await read('journal_mode')).toEqual(['wal']);
    expect(await read('synchronous')).toEqual([1n]);
    expect(await read('foreign_keys')).toEqual([1n]);
    expect(await read('busy_timeout')).toEqual([5000n]);
  });

  it('enforces foreign keys', async () => {
    await expect(
      prisma.market.create({ data: { name: 'nowhere', kind: 'wholesale', regionCode: '999999' } }),
    ).rejects.toMatchObject({ code: 'P2003' });
  });
});

describe('openRawSqlite', () => {
  it('opens the same file with the same PRAGMAs', () => {
    const db = openRawSqlite(scratch.url);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.prepare('SELECT count(*) FROM _prisma_migrations').pluck().get()).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('refuses a PostgreSQL URL', () => {
    expect(() => openRawSqlite('postgres://postgres@127.0.0.1/test')).toThrowError(
      expect.objectContaining({ code: 'NOT_SQLITE' }),
    );
  });
});
