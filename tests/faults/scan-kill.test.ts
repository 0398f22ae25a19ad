import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRawSqlite } from '@liangzheng/prisma';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceHeaders, freePort, openLots, RealServer, scanBody } from './real-server.ts';

/**
 * `kill -9` of the real server while scans pour in, then a restart on the same SQLite file: every scan that was
 * acknowledged is stored, answers survive byte for byte, and re-sending everything duplicates nothing.
 */
describe('kill -9 under a load of scans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-fault-kill-'));
  const databaseUrl = `file:${join(dir, 'kill.db')}`;
  let server: RealServer;

  afterAll(async () => server?.stop());

  it('keeps every acknowledged scan and duplicates nothing on re-send after restart', async () => {
    server = new RealServer({
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      PORT: String(await freePort()),
      LIANGZHENG_DEMO_HISTORY: '0',
    });
    await server.start();
    const { lots, gateId } = await openLots(server.url, 300);
    const sent = lots.map((lotId) => ({ scanId: randomUUID(), lotId, body: '' }));
    for (const s of sent) s.body = scanBody(s.scanId, s.lotId, gateId, `HGZ20260315-${s.lotId.slice(0, 6)}`);

    const acknowledged = new Map<string, string>();
    let next = 0;
    const lane = async () => {
      while (next < sent.length) {
        const s = sent[next++]!;
        try {
          const res = await fetch(`${server.url}/api/v1/scans`, {
            method: 'POST',
            headers: deviceHeaders,
            body: s.body,
          });
          if (res.status === 200) acknowledged.set(s.scanId, await res.text());
        } catch {
          return; // the server is gone
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, lane));
    while (acknowledged.size < 60) await new Promise((r) => setTimeout(r, 5));
    await server.kill9();
    await load;
    console.log(`[kill -9] ${acknowledged.size} of ${sent.length} scans acknowledged before SIGKILL`);
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);
    expect(acknowledged.size).toBeLessThan(sent.length);

    await server.start();
    const db = openRawSqlite(databaseUrl);
    const stored = new Set(
      (db.prepare('SELECT "id" FROM "Scan"').all() as { id: string }[]).map((row) => row.id),
    );
    for (const scanId of acknowledged.keys()) expect(stored.has(scanId), scanId).toBe(true);

    for (const s of sent) {
      const res = await fetch(`${server.url}/api/v1/scans`, {
        method: 'POST',
        headers: deviceHeaders,
        body: s.body,
      });
      expect(res.status).toBe(200);
      const first = acknowledged.get(s.scanId);
      if (first !== undefined) expect(await res.text()).toBe(first);
    }
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM "Scan"')).toBe(sent.length);
    // documents made by scans: the demo world's own stall lot carries a code document with no scan behind it
    expect(
      count(`SELECT COUNT(*) AS n FROM "LotDocument" WHERE "type" = 'code' AND "scanId" IS NOT NULL`),
    ).toBe(sent.length);
    expect(count('SELECT COUNT(*) AS n FROM "Verdict"')).toBe(sent.length);
    expect(count('SELECT COUNT(DISTINCT "scanId") AS n FROM "LotDocument" WHERE "scanId" IS NOT NULL')).toBe(
      sent.length,
    );
    db.close();
  }, 180_000);
});
