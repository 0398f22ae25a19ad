import type { Signer } from '@liangzheng/domain';
import {
  canSeeMarket,
  explainReason,
  fromBase64Url,
  keyIdOf,
  type Principal,
  ScanSubmission,
  trustRevocationEvents,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { openRawSqlite } from '@liangzheng/prisma';
import type { FastifyInstance } from 'fastify';
import { demoGateReplayRoutes } from '../demo/demo-gate-replay.routes.ts';
import { createDemoGateReplay, type DemoGateReplay, demoGateOf } from '../demo/demo-gate-replay.ts';
import { sharedRateLimit } from '../http/rate-limit.ts';
import { SESSION_COOKIE } from '../identity/session.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import { type LiveServer, startLive } from '../live/live-server.ts';
import { lotRoutes } from '../lot/lot.routes.ts';
import { type LotClosingDeps, sweepOverdueLots } from '../lot/lot-closing.ts';
import { lotPhotoRoutes } from '../lot/lot-photo.routes.ts';
import { serverPhotoBudget } from '../lot/photo-budget.ts';
import { rememberSignatures } from '../trust/remembered-signatures.ts';
import { trustRoutes } from '../trust/trust.routes.ts';
import { latestTrustVersion, loadTrustData, storedTrustChanges } from '../trust/trust-data.ts';
import { createTrustSource, type TrustSource } from '../trust/trust-source.ts';
import { verifyRoutes } from '../verify/verify.routes.ts';
import { violationRoutes } from '../violation/violation.routes.ts';
import { scanRoutes } from './scan.routes.ts';
import { scanBatchRoutes } from './scan-batch.routes.ts';
import { attachScanBatchEvents } from './scan-batch.socket.ts';
import type { ScanBatchDeps } from './scan-batch.ts';
import { scanLimiter } from './scan-batch-limit.ts';
import { createPgScanReads } from './scan-reads.pg.ts';
import { scanReversalRoutes } from './scan-reversal.routes.ts';
import { ingestScan, type ScanServiceDeps } from './scan-service.ts';
import { pgBatchedScanStore } from './scan-store.pg.ts';
import { createPrismaScanStore } from './scan-store.prisma.ts';
import { createSqliteScanStore } from './scan-store.sqlite.ts';
import type { ScanStore } from './scan-store.ts';

/** What the scan flow adds to the app, for main.ts, tests and the benchmark. */
export interface ScanFlow {
  trust: TrustSource;
  live: LiveFeed;
  liveServer: LiveServer;
  store: ScanStore;
  scanDeps: ScanServiceDeps;
  /** judges overdue open lots MISSING now; also runs every `sweepEveryMs` */
  sweep(): Promise<string[]>;
  /** the simulated gate (docs/demo.md): LIANGZHENG_SIMULATE_GATE and the gate screen's replay */
  demoGate: DemoGateReplay;
}

declare module 'fastify' {
  interface FastifyInstance {
    scanFlow: ScanFlow;
  }
}

/** How long an agent may judge offline on one snapshot before its verdicts turn SNAPSHOT_STALE. */
const snapshotValidHours = 72;
const sweepEveryMs = 60_000;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Scans, lots, violations, the trust snapshot, public verification and live rooms, on the root app (so main.ts
 * and tests reach `app.scanFlow`). SQLite scans go through raw better-sqlite3 with group commit; PostgreSQL
 * through raw `pg`, also with group commit (falling back to Prisma scan by scan when a batch fails).
 */
export async function registerScanFlow(app: FastifyInstance): Promise<void> {
  const ed25519 = rememberSignatures(nodeEd25519);
  const now = () => app.clock.now();
  const trust = createTrustSource({
    load: loadTrustData(app.prisma),
    latestVersion: latestTrustVersion(app.prisma),
    now,
    validForHours: snapshotValidHours,
    codeHosts: [app.config.codeHost],
    recheckMs: 1000,
  });
  const rootPublicKey = fromBase64Url(app.keyring.rootPublicKey) ?? new Uint8Array();
  const rootSigner = (): Signer => ({
    keyId: keyIdOf(rootPublicKey),
    publicKey: rootPublicKey,
    sign: (message) => app.keyring.signWithRoot(message),
  });

  const raw = app.dialect === 'sqlite' ? openRawSqlite(app.config.databaseUrl) : undefined;
  const store = raw
    ? createSqliteScanStore(raw)
    : pgBatchedScanStore(
        createPgScanReads(app.config.databaseUrl),
        createPrismaScanStore(app.prisma, app.audit),
      );

  let scanDeps: ScanServiceDeps | undefined;
  const liveServer = await startLive({
    httpServer: app.server,
    redisUrl: app.config.redisUrl,
    rateLimit: sharedRateLimit(app),
    async authenticate({ token, cookieHeader }) {
      if (token) {
        const found = await app.deviceAuth.lookup(token);
        return found.ok ? found.principal : undefined;
      }
      const session = cookieValue(cookieHeader, SESSION_COOKIE);
      if (!session) return undefined;
      const found = await app.sessions.lookup(session);
      return found.ok ? found.principal : undefined;
    },
    async mayWatch(principal: Principal, room) {
      if (principal.kind !== 'user') return false;
      if (room.kind === 'region') {
        const scope = principal.scope;
        return scope.kind === 'all' || (scope.kind === 'region' && room.prefix.startsWith(scope.prefix));
      }
      const marketId =
        room.kind === 'market'
          ? room.marketId
          : (await app.prisma.gate.findUnique({ where: { id: room.gateId }, select: { marketId: true } }))
              ?.marketId;
      if (marketId === undefined) return false;
      const market = await app.prisma.market.findUnique({
        where: { id: marketId },
        select: { id: true, regionCode: true },
      });
      return market !== null && canSeeMarket(principal, market);
    },
    async onScan(principal, token, body) {
      const device = await app.deviceAuth.lookup(token);
      if (!device.ok)
        return { ok: false, error: { code: device.code, message: 'this device may no longer submit' } };
      const parsed = ScanSubmission.safeParse(body);
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: parsed.error.issues[0]?.message ?? 'invalid' },
        };
      }
      const result = await ingestScan(scanDeps!, parsed.data, principal);
      return result.ok
        ? { ok: true, answer: JSON.parse(result.response) }
        : { ok: false, error: { code: result.error.code, message: result.error.message } };
    },
  });
  const live = liveServer.feed;

  scanDeps = { store, trust: () => trust.current(), ed25519, clock: now, live };
  const lotDeps: LotClosingDeps = {
    db: app.prisma,
    trust,
    ed25519,
    clock: app.clock,
    live,
    audit: app.audit,
    lots: store,
    photoBudget: serverPhotoBudget(app.config),
  };
  const batchDeps: ScanBatchDeps = { scans: scanDeps, lots: { ...lotDeps, dialect: app.dialect } };
  const limiter = scanLimiter(() => now().getTime());
  attachScanBatchEvents(liveServer.io, {
    batch: batchDeps,
    limiter,
    async stillAllowed(token) {
      const device = await app.deviceAuth.lookup(token);
      return device.ok ? { ok: true } : { ok: false, code: device.code };
    },
  });

  // A recall of a thousand certificates is one event per thousand ids, not one per certificate.
  app.events.on('certificate.voided', ({ revoked, at }) => {
    trust.invalidate();
    for (const event of trustRevocationEvents(revoked, at)) live.toAgents('trust:revocation', event);
  });

  // A revoked device loses its live connection at once, on whichever node it is connected to.
  app.events.on('device.revoked', ({ deviceId }) => {
    liveServer.io
      .fetchSockets()
      .then((sockets) => {
        for (const socket of sockets) {
          if ((socket.data as { principal?: Principal }).principal?.kind !== 'device') continue;
          if ((socket.data.principal as { deviceId: string }).deviceId === deviceId) socket.disconnect(true);
        }
      })
      .catch((err) => app.log.warn({ err }, 'could not disconnect a revoked device'));
  });

  const sweep = () => sweepOverdueLots(lotDeps);
  const sweeper = setInterval(() => {
    sweep().catch((err) => app.log.warn({ err }, 'lot sweep failed; will retry'));
  }, sweepEveryMs);
  sweeper.unref();

  // The simulated gate's reads go to stdout, as a person watching `npm start` expects to see them.
  const demoGate = createDemoGateReplay({
    demoGate: demoGateOf(app.prisma),
    rootPublicKey: app.keyring.rootPublicKey,
    now,
    onLine: (line) => console.log(`  [模拟闸口 simulated gate] ${line}`),
    onExit: (code) =>
      console.log(
        `  [模拟闸口 simulated gate] done (exit ${code}); again: 演示：播放模拟道口 on /gate, or npm run simulate -w gate-agent`,
      ),
  });

  app.decorate('scanFlow', { trust, live, liveServer, store, scanDeps, sweep, demoGate });
  // Before the HTTP server closes: it waits for every open connection, and a connected gate agent's websocket
  // would otherwise hold app.close() (and a SIGTERM) until the forced exit.
  app.addHook('preClose', async () => {
    await liveServer.close();
  });
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    demoGate.stop();
    await store.close();
    raw?.close();
  });

  await app.register(
    async (api) => {
      await api.register(scanRoutes(scanDeps));
      await api.register(scanBatchRoutes(batchDeps, limiter));
      await api.register(lotRoutes(lotDeps));
      await api.register(scanReversalRoutes(lotDeps));
      await api.register(demoGateReplayRoutes(demoGate));
      await api.register(lotPhotoRoutes({ db: app.prisma }));
      await api.register(
        violationRoutes({ db: app.prisma, clock: app.clock, audit: app.audit, live, events: app.events }),
      );
      await api.register(
        trustRoutes({
          trust,
          rootSigner,
          latestVersion: latestTrustVersion(app.prisma),
          changesSince: storedTrustChanges(app.prisma),
        }),
      );
    },
    { prefix: '/api/v1' },
  );
  await app.register(
    verifyRoutes({
      db: app.prisma,
      ed25519,
      codeHost: app.config.codeHost,
      trust,
      explain: (code) => explainReason(code),
    }),
  );
}
