import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../src/client.ts';
import { parseDatabaseUrl, withDatabase } from '../../src/database-url.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { createDatabase, dropDatabase, scratchDatabaseName } from '../../src/postgresql.ts';
import { crudRoundTrip } from '../crud-round-trip.ts';
import { describePg, pgServerUrl } from './server.ts';

describePg('createPrismaClient on PostgreSQL', () => {
  const name = scratchDatabaseName('lz_test');
  let server: ReturnType<typeof serverFields>;
  let prisma: PrismaClient | undefined;

  beforeAll(async () => {
    server = serverFields();
    await createDatabase(server, name);
    const url = withDatabase(pgServerUrl, name);
    await applyMigrations(url);
    prisma = createPrismaClient(url);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    if (server) await dropDatabase(server, name);
  });

  it('round-trips create, read, update and delete', async () => {
    await crudRoundTrip(prisma!);
  });

  it('talks to the scratch database, not the admin one', async () => {
    const rows = (await prisma!.$queryRawUnsafe('SELECT current_database() AS db')) as { db: string }[];
    expect(rows).toEqual([{ db: name }]);
  });

  it('enforces foreign keys', async () => {
    await expect(
      prisma!.market.create({ data: { name: 'nowhere', kind: 'wholesale', regionCode: '999999' } }),
    ).rejects.toMatchObject({ code: 'P2003' });
  });
});

function serverFields() {
  const target = parseDatabaseUrl(pgServerUrl);
  if (target.kind !== 'postgresql') throw new Error('PG_URL must be a postgres:// URL');
  return target.connection;
}
