import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { type AuditLog, createAuditLog } from './audit/audit-log.ts';
import { retentionGuarded } from './audit/retention.ts';
import { boardRoutes } from './board/board.routes.ts';
import { certificateRoutes } from './certificate/certificate.routes.ts';
import { producerCertificateRoutes } from './certificate/producer-certificates.routes.ts';
import type { Clock } from './clock/clock.ts';
import type { Config } from './config/config.ts';
import { registerConsoleShell } from './console/console-shell.ts';
import { creditRoutes } from './credit/credit.routes.ts';
import { custodyRoutes } from './custody/custody.routes.ts';
import { type AppEvents, createEvents } from './events/events.ts';
import { figuresRoutes } from './figures/figures.routes.ts';
import { databaseProbe, healthRoutes, serverVersion } from './health/health.routes.ts';
import { proxyTrust } from './http/client-address.ts';
import { ApiProblem } from './http/error-code.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { rateLimitKey } from './http/rate-limit.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { authRoutes } from './identity/auth.routes.ts';
import { registerIdentity } from './identity/identity.ts';
import { inspectionRoutes } from './inspection/inspection.routes.ts';
import type { Keyring } from './keyring/keyring.ts';
import { purchaseLedgerRoutes } from './purchase-ledger/purchase-ledger.routes.ts';
import { rapidTestRoutes } from './rapid-test/rapid-test.routes.ts';
import { watchRetestWindows } from './rapid-test/retest-window.ts';
import { registryRoutes } from './registry/registry.routes.ts';
import { registerScanFlow } from './scan/scan-flow.ts';
import { type Db, type Dialect, dialectOf } from './storage/db.ts';
import { traceRoutes } from './trace/trace.routes.ts';
import { openTransformationStore } from './transformation/open-transformation-store.ts';
import { transformationRoutes } from './transformation/transformation.routes.ts';
import type { TransformationStore } from './transformation/transformation-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: Db;
    config: Config;
    clock: Clock;
    keyring: Keyring;
    events: AppEvents;
    audit: AuditLog;
    dialect: Dialect;
    transformations: TransformationStore;
  }
}

export interface AppDeps {
  prisma: Db;
  config: Config;
  clock: Clock;
  keyring: Keyring;
  logger?: FastifyBaseLogger;
}

/**
 * Area plugins, registered in this order after the external plugins and identity. Each area owns its routes under
 * /api/v1 and declares a zod schema per status.
 */
const areas = [
  authRoutes,
  registryRoutes,
  certificateRoutes,
  producerCertificateRoutes,
  custodyRoutes,
  transformationRoutes,
  traceRoutes,
  figuresRoutes,
  purchaseLedgerRoutes,
];

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: deps.config.bodyLimitBytes,
    // Certificate codes in /V/<code> run to ~600 characters, past the router's 100-character default.
    routerOptions: { maxParamLength: 1024 },
    // Only the configured proxies may name the client (X-Forwarded-For) and its scheme; by default nobody may.
    trustProxy: proxyTrust(deps.config.trustProxy),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  app.decorate('prisma', retentionGuarded(deps.prisma, deps.clock));
  app.decorate('config', deps.config);
  app.decorate('clock', deps.clock);
  app.decorate('keyring', deps.keyring);
  app.decorate('events', createEvents());
  app.decorate('dialect', dialectOf(deps.config.databaseUrl));
  app.decorate('audit', createAuditLog(app.dialect, deps.clock));
  app.decorate('transformations', openTransformationStore(app.dialect, deps.config.databaseUrl));
  app.addHook('onClose', () => app.transformations.close());

  await app.register(fastifyCookie);
  registerSecurityHeaders(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Liangzheng 亮证 API', version: '1.0.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'lz_session' },
          device: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  registerIdentity(app);
  // Its per-route onRequest hook runs after identity's app-wide one, so limits are per user or device; requests
  // that a route then refuses (403) still count.
  await app.register(fastifyRateLimit, {
    hook: 'onRequest',
    max: deps.config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new ApiProblem('RATE_LIMITED', `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes({ probe: databaseProbe(app.prisma), version: serverVersion }));

  for (const area of areas) await app.register(area, { prefix: '/api/v1' });
  await registerScanFlow(app);
  // After the scan flow: a positive alerts its live rooms, and voided certificates reach the agents through it.
  const rapidTests = {
    db: app.prisma,
    clock: app.clock,
    audit: app.audit,
    live: app.scanFlow.live,
    events: app.events,
    dialect: app.dialect,
    timeZone: deps.config.timeZone,
  };
  await app.register(rapidTestRoutes(rapidTests), { prefix: '/api/v1' });
  watchRetestWindows(app, rapidTests);
  await app.register(boardRoutes);
  const oversight = { db: app.prisma, clock: app.clock, audit: app.audit, events: app.events };
  await app.register(creditRoutes(oversight), { prefix: '/api/v1' });
  await app.register(inspectionRoutes(oversight), { prefix: '/api/v1' });
  await registerConsoleShell(app, deps.config.consoleDir);
  return app;
}
