import { applyMigrations, createPrismaClient, redact } from '@liangzheng/prisma';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { systemClock } from './clock/clock.ts';
import { loadConfig } from './config/config.ts';
import { seedDemo } from './demo/demo.ts';
import { seedCustodyStory } from './demo/demo-custody.ts';
import { demoGateScript, replayServerUrl } from './demo/demo-gate-replay.ts';
import { seedDemoHistory } from './demo/demo-history.ts';
import { ensureAdmin } from './identity/bootstrap.ts';
import { loadKeyring } from './keyring/keyring.ts';
import { openLogger } from './logging/logger.ts';
import { ensureDefaultCatalogue } from './product/product-catalogue.ts';
import { rotateDueKeys } from './registry/issuer-key.service.ts';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(`Liangzheng: configuration invalid (${loaded.code}):\n  ${loaded.issues.join('\n  ')}`);
  process.exit(2);
}
const config = loaded.config;
/** LIANGZHENG_SIMULATE_GATE=1: a simulated gate plays the demo script against this server once it listens. */
const simulateGateFlag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .safeParse(process.env.LIANGZHENG_SIMULATE_GATE);
if (!simulateGateFlag.success) {
  console.error('Liangzheng: LIANGZHENG_SIMULATE_GATE 须为 1 或 0 (must be 1 or 0)');
  process.exit(2);
}
const logger = openLogger(config);

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
const catalogued = await ensureDefaultCatalogue(prisma, systemClock.now());
if (catalogued > 0) logger.info({ products: catalogued }, 'wrote the default product catalogue');
const demo = (config.demo ?? isNew) ? await seedDemo(app) : undefined;
// 30 days of gate history behind the demo world, so the dashboard and reports have something to show.
if (demo && config.demoHistory) {
  await seedDemoHistory(app, demo);
  // Today's custody story: a three-certificate truck, the stall's stock, a repack, a resale and a recall. A story
  // that cannot be told (a busy disk at first start) is said and skipped: the server runs without it.
  await seedCustodyStory(app, demo).catch((err) =>
    logger.warn({ err }, 'the demo custody story was not seeded; the demo world is complete without it'),
  );
}

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
if ((await prisma.market.count()) === 0) {
  console.log(
    `  首次使用 First run: no market yet. Log in as "admin" and open ${config.publicUrl}/admin/setup to set up the first market, its gates, stalls and gate device.`,
  );
}
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

/**
 * LIANGZHENG_SIMULATE_GATE=1: the simulated gate plays the demo script once the server listens (the gate screen
 * can replay it in demo mode). Once per start, not in a loop: each run adds four certificates and eight scans.
 */
async function startSimulatedGate(): Promise<boolean> {
  const serverUrl = replayServerUrl(app.server.address(), config.host);
  const started = serverUrl ? await app.scanFlow.demoGate.start(serverUrl) : undefined;
  if (!started?.ok) {
    console.log(
      `  Simulated gate: not started, ${started?.error.message ?? 'the server does not listen on a port'}`,
    );
    return false;
  }
  console.log(
    `  Simulated gate (pid ${started.pid}): plays ${demoGateScript} once; log in as mawangdui_gate to watch /gate, where 演示：播放模拟道口 plays it again\n`,
  );
  return true;
}

let stopping = false;
if (simulateGateFlag.data === '1' || simulateGateFlag.data === 'true') await startSimulatedGate();
process.once('exit', () => app.scanFlow.demoGate.stop());

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  app.scanFlow.demoGate.stop();
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  try {
    await app.close();
    await prisma.$disconnect();
  } finally {
    clearTimeout(force);
    logger.flush();
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
