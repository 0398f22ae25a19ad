import { createPrismaClient } from '@liangzheng/prisma';
import { loadConfig } from '../config/config.ts';
import { verifyAuditChain } from './audit-log.ts';

/** `npm run audit:verify -w server`: walks the audit chain; exit 1 naming the first tampered row. */
const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(`configuration invalid:\n  ${loaded.issues.join('\n  ')}`);
  process.exit(2);
}
const prisma = createPrismaClient(loaded.config.databaseUrl);
try {
  const check = await verifyAuditChain(prisma);
  if (check.ok) console.log(`audit chain intact: ${check.rows} rows`);
  else {
    console.error(
      `audit chain BROKEN at row seq=${check.firstBadSeq} (${check.problem}); ${check.rows} rows before it verify`,
    );
    process.exitCode = 1;
  }
} finally {
  await prisma.$disconnect();
}
