/**
 * Starts the real server app (buildApp, migrations, keyring, demo seed) as its own process for the agent fault
 * tests, the same steps server/src/main.ts takes; used only while that entry point does not exist yet.
 */
import { applyMigrations, createPrismaClient } from '@liangzheng/prisma';
import { buildApp } from '../../server/src/app.ts';
import { systemClock } from '../../server/src/clock/clock.ts';
import { loadConfig } from '../../server/src/config/config.ts';
import { seedDemo } from '../../server/src/demo/demo.ts';
import { ensureAdmin } from '../../server/src/identity/bootstrap.ts';
import { loadKeyring } from '../../server/src/keyring/keyring.ts';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`${loaded.issues.join('\n')}\n`);
  process.exit(2);
}
const config = { ...loaded.config, rateLimitPerMinute: 1_000_000 };
await applyMigrations(config.databaseUrl);
const prisma = createPrismaClient(config.databaseUrl);
const keyring = loadKeyring(config.dataDir, { rootKey: config.rootKey, kek: config.kek });
const app = await buildApp({ prisma, config, clock: systemClock, keyring });
await app.ready();
await ensureAdmin(prisma, app.audit, process.env.LIANGZHENG_ADMIN_PASSWORD ?? 'fault-test-admin');
if ((await prisma.device.count()) === 0) await seedDemo(app);
await app.listen({ port: config.port, host: config.host });
const stop = async () => {
  await app.close();
  await prisma.$disconnect();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
