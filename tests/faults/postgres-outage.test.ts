import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceHeaders, freePort, openLots, RealServer, scanBody } from './real-server.ts';
import { ThrowawayPostgres } from './throwaway-postgres.ts';

const unavailable = ThrowawayPostgres.unavailable();
const inCi = process.env.CI === 'true';
if (unavailable && !inCi) console.warn(`[postgres-outage] SKIPPED: ${unavailable} (CI=true makes this fail)`);

/**
 * PostgreSQL stops under a running server: requests fail fast with 503 and a clear message, and the server
 * recovers by itself when PostgreSQL returns. Runs on a throwaway PostgreSQL instance, never the shared one.
 */
describe.skipIf(unavailable !== undefined && !inCi)('PostgreSQL outage', () => {
  let pg: ThrowawayPostgres;
  let server: RealServer;

  afterAll(async () => {
    await server?.stop();
    pg?.destroy();
  });

  it('answers 503 fast while the database is down and recovers when it returns', async () => {
    if (unavailable) throw new Error(unavailable);
    pg = new ThrowawayPostgres(await freePort());
    pg.init();
    pg.start();
    const dir = mkdtempSync(join(tmpdir(), 'lz-fault-pg-'));
    server = new RealServer({
      DATABASE_URL: pg.url,
      DATA_DIR: dir,
      PORT: String(await freePort()),
      LIANGZHENG_DEMO_HISTORY: '0',
    });
    await server.start(120_000);
    const { lots, gateId } = await openLots(server.url, 3);
    const scan = (lotId: string) =>
      fetch(`${server.url}/api/v1/scans`, {
        method: 'POST',
        headers: deviceHeaders,
        body: scanBody(randomUUID(), lotId, gateId, 'HGZ20260315-0001'),
        signal: AbortSignal.timeout(15_000),
      });
    expect((await scan(lots[0]!)).status).toBe(200);

    pg.stop();
    // Past the device-token cache, so the request has to reach the database.
    await new Promise((r) => setTimeout(r, 1100));
    const started = performance.now();
    const down = await scan(lots[1]!);
    const tookMs = performance.now() - started;
    const body = (await down.json()) as { error: { code: string; message: string } };
    console.log(
      `[postgres-outage] answer while down: ${down.status} ${body.error.code} in ${tookMs.toFixed(0)} ms`,
    );
    expect(down.status).toBe(503);
    expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(body.error.message).toMatch(/database/i);
    expect(tookMs).toBeLessThan(5000);

    pg.start();
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await scan(lots[2]!)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  }, 240_000);
});
