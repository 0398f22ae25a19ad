import { afterAll, beforeAll, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../src/client.ts';
import { parseDatabaseUrl, withDatabase } from '../../src/database-url.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { createDatabase, dropDatabase, scratchDatabaseName } from '../../src/postgresql.ts';
import { evidenceRetention, vendorFileRetention } from '../evidence-retention.ts';
import { describePg, pgServerUrl } from './server.ts';

describePg('the retention guard on PostgreSQL', () => {
  const name = scratchDatabaseName('lz_test');
  let prisma: PrismaClient | undefined;
  const server = () => {
    const target = parseDatabaseUrl(pgServerUrl);
    if (target.kind !== 'postgresql') throw new Error('PG_URL must be a postgres:// URL');
    return target.connection;
  };

  beforeAll(async () => {
    await createDatabase(server(), name);
    const url = withDatabase(pgServerUrl, name);
    await applyMigrations(url);
    prisma = createPrismaClient(url);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await dropDatabase(server(), name);
  });

  it('keeps lot documents, certificate parents, violation events, rapid tests and certificates 6 months', async () => {
    await evidenceRetention(prisma!);
  });

  it('keeps a vendor file until 6 months after the vendor leaves', async () => {
    await vendorFileRetention(prisma!);
  });
});
