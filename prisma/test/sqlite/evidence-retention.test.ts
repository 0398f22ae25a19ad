import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../src/client.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { evidenceRetention, vendorFileRetention } from '../evidence-retention.ts';
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

describe('the retention guard on SQLite', () => {
  it('keeps lot documents, certificate parents, violation events, rapid tests and certificates 6 months', async () => {
    await evidenceRetention(prisma);
  });

  it('keeps a vendor file until 6 months after the vendor leaves', async () => {
    await vendorFileRetention(prisma);
  });
});
