import { applyMigrations, createPrismaClient, redact } from '@liangzheng/prisma';
import pino from 'pino';
import { buildApp } from './app.ts';
import { systemClock } from './clock/clock.ts';
import { loadConfig } from './config/config.ts';
import { seedDemo } from './demo/demo.ts';
import { ensureAdmin } from './identity/bootstrap.ts';
import { loadKeyring } from './keyring/keyring.ts';
import { rotateDueKeys } from './registry/issuer-key.service.ts';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(`Liangzheng: configuration invalid (${loaded.code}):\n  ${loaded.issues.join('\n  ')}`);
  process.exit(2);
}
const config = loaded.config;
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

logger.info({ database: redact(config.databaseUrl) }, 'applying migrations');
await applyMigrations(config.databaseUrl);
const prisma = createPrismaClient(config.databaseUrl);
const keyring = loadKeyring(config.dataDir, { rootKey: config.rootKey, kek: config.kek });
const app = await buildApp({ prisma, config, clock: systemClock, keyring, logger });

const isNew = (await prisma.user.count()) === 0;
const admin = await ensureAdmin(prisma, app.audit, config.adminPassword);
if (admin.created && admin.generated) {
  // Printed once, to the console only: it is not logged and not stored anywhere but as a hash.
  console.log(
    `\n  Created user "admin" with password: ${admin.password}\n  (set LIANGZHENG_ADMIN_PASSWORD to choose it)\n`,
  );
}
const demo = (config.demo ?? isNew) ? await seedDemo(app) : undefined;

const rotate = () =>
  rotateDueKeys(prisma, app.audit, keyring, systemClock.now()).then(
    (n) => n > 0 && logger.info({ rotated: n }, 'rotated issuer keys on schedule'),
    (err) => logger.error({ err }, 'key rotation failed'),
  );
await rotate();
setInterval(rotate, 6 * 3600_000).unref();

await app.listen({ port: config.port, host: config.host });
console.log(
  `\n  Liangzheng 亮证 server: ${config.publicUrl}   (OpenAPI: ${config.publicUrl}/api/v1/openapi.json)`,
);
console.log(
  app.consoleShell.served
    ? `  Console: ${config.publicUrl}/login`
    : `  Console: not built (${app.consoleShell.dir}); run \`npm run build -w console\` or \`npm start\``,
);
if (demo) {
  console.log(
    `  Demo data loaded: logins in docs/demo.md (password "${demo.password}"), gate token ${demo.deviceToken}`,
  );
}
const sampleCertificate = await app.prisma.certificate.findFirst({
  where: { status: 'valid' },
  orderBy: { issuedAt: 'asc' },
  select: { code: true },
});
if (sampleCertificate) {
  // the code is an upper-case URL on the code host; its path opens the same page on this server
  console.log(
    `  A certificate's public 亮证 page: ${config.publicUrl}${new URL(sampleCertificate.code).pathname}\n`,
  );
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  try {
    await app.close();
    await prisma.$disconnect();
  } finally {
    clearTimeout(force);
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
