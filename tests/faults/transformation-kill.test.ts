import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient } from '@liangzheng/prisma';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, RealServer } from './real-server.ts';

const password = 'liangzheng-demo';
/** Quantities are compared in floating point, as the ledgers store them. */
const tolerance = 1e-6;

type Headers = Record<string, string>;

async function logIn(url: string, username: string): Promise<Headers> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

interface Item {
  id: string;
  certificateId: string;
  certificateKind: string;
  left: number;
  state: string;
}

interface Transformed {
  id: string;
  outputs: { id: string }[];
  draws: { itemId: string }[];
}

/** Reads the server's database beside it: `?` placeholders, numbered for PostgreSQL. */
interface Database {
  rows<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function openDatabase(url: string, kind: Kind): Database {
  const prisma = createPrismaClient(url);
  return {
    rows<T>(sql: string, ...params: unknown[]) {
      let n = 0;
      const text = kind === 'postgresql' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
      return prisma.$queryRawUnsafe<T[]>(text, ...params);
    },
    close: () => prisma.$disconnect(),
  };
}

type Kind = 'sqlite' | 'postgresql';

/** A fresh database of each kind for the server to migrate on start: a file, or a database on the shared server. */
async function freshDatabase(kind: Kind, dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') return { url: `file:${join(dir, 'transform.db')}`, drop: async () => {} };
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `lz_kill_${randomBytes(6).toString('hex')}`;
  const admin = createPrismaClient(base);
  await admin.$executeRawUnsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.$disconnect();
    },
  };
}

const rows = <T>(db: Database, sql: string, ...params: unknown[]) => db.rows<T>(sql, ...params);

/**
 * Every transformation is all there or not at all: each has its outputs (with their parents), its draws and its
 * audit row, and nothing made by a transformation exists without it. Conservation holds for every item: what it
 * has drawn is what its unreturned draws took, never more than it received. The audit chain is unbroken.
 */
async function expectWholeTransformations(db: Database): Promise<void> {
  const transformations = await rows<{ id: string }>(db, 'SELECT "id" FROM "Transformation"');
  for (const { id } of transformations) {
    const outputs = await rows<{ id: string }>(
      db,
      'SELECT "id" FROM "Certificate" WHERE "transformationId" = ?',
      id,
    );
    expect(outputs.length, `outputs of ${id}`).toBeGreaterThan(0);
    for (const output of outputs) {
      const parents = await rows(db, 'SELECT 1 FROM "CertificateParent" WHERE "childId" = ?', output.id);
      expect(parents.length, `parents of ${output.id}`).toBeGreaterThan(0);
      const draws = await rows(
        db,
        'SELECT 1 FROM "TransformationDraw" WHERE "outputCertificateId" = ?',
        output.id,
      );
      expect(draws.length, `draws for ${output.id}`).toBeGreaterThan(0);
    }
    const audit = await rows(
      db,
      `SELECT 1 FROM "AuditLog" WHERE "entity" = 'transformation' AND "entityId" = ?`,
      id,
    );
    expect(audit.length, `audit row of ${id}`).toBe(1);
  }
  const orphans = async (sql: string) => (await rows(db, sql)).length;
  expect(
    await orphans(`SELECT 1 FROM "Certificate" c WHERE c."transformationId" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "Transformation" t WHERE t."id" = c."transformationId")`),
  ).toBe(0);
  expect(
    await orphans(`SELECT 1 FROM "TransformationDraw" d
      WHERE NOT EXISTS (SELECT 1 FROM "Transformation" t WHERE t."id" = d."transformationId")`),
  ).toBe(0);
  expect(
    await orphans(`SELECT 1 FROM "InventoryItem" i WHERE i."transformationId" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "Transformation" t WHERE t."id" = i."transformationId")`),
  ).toBe(0);
  expect(
    await orphans(`SELECT 1 FROM "AuditLog" a WHERE a."entity" = 'transformation'
      AND NOT EXISTS (SELECT 1 FROM "Transformation" t WHERE t."id" = a."entityId")`),
  ).toBe(0);

  const items = await rows<{ id: string; received: number; drawn: number; taken: number }>(
    db,
    `SELECT i."id", i."received", i."drawn",
        COALESCE((SELECT SUM(d."quantity") FROM "TransformationDraw" d
          WHERE d."inventoryItemId" = i."id" AND d."returnedAt" IS NULL), 0.0) AS "taken"
      FROM "InventoryItem" i`,
  );
  for (const item of items) {
    expect(Math.abs(item.drawn - item.taken), `drawn vs draws of ${item.id}`).toBeLessThan(tolerance);
    expect(item.drawn, `drawn within received, ${item.id}`).toBeLessThanOrEqual(item.received + tolerance);
  }

  const chain = await rows<{ prevHash: string; hash: string }>(
    db,
    'SELECT "prevHash", "hash" FROM "AuditLog" ORDER BY "seq"',
  );
  for (let i = 1; i < chain.length; i++)
    expect(chain[i]!.prevHash, `audit link ${i}`).toBe(chain[i - 1]!.hash);
}

/** The certificate and every certificate made from it, through the recorded parents. */
async function descendantsOf(db: Database, root: string): Promise<string[]> {
  return (
    await rows<{ id: string }>(
      db,
      `WITH RECURSIVE below("id") AS (
        SELECT "childId" FROM "CertificateParent" WHERE "parentId" = ?
        UNION SELECT p."childId" FROM "CertificateParent" p JOIN below b ON p."parentId" = b."id"
      ) SELECT "id" FROM below`,
      root,
    )
  ).map((row) => row.id);
}

/**
 * `kill -9` of the real server in the middle of a stream of repacks, then in the middle of a recall, each time
 * restarting on the same database (a SQLite file; a database on the shared PostgreSQL): a crash leaves all of a
 * transformation or none of it, and a recall revoked every descendant or none.
 */
describe.each<Kind>(['sqlite', 'postgresql'])('kill -9 during repacks and a recall (%s)', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-fault-transform-'));
  let server: RealServer;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('leaves every transformation whole or absent, and a recall all or nothing', async () => {
    database = await freshDatabase(kind, dir);
    server = new RealServer({ DATABASE_URL: database.url, DATA_DIR: dir, PORT: String(await freePort()) });
    await server.start();
    const vendor = await logIn(server.url, 'vendor_a01');
    const me = (await (await fetch(`${server.url}/api/v1/auth/me`, { headers: vendor })).json()) as {
      stallId?: number;
      scope?: { stallId?: number };
    };
    const stallId = me.stallId ?? me.scope?.stallId;
    expect(stallId).toBeGreaterThan(0);
    const inventory = (await (
      await fetch(`${server.url}/api/v1/stalls/${stallId}/inventory`, { headers: vendor })
    ).json()) as Item[];
    const source = inventory
      .filter((item) => item.state === 'available' && item.certificateKind === 'producer')
      .sort((a, b) => b.left - a.left)[0];
    expect(source, 'an available producer item at the stall').toBeDefined();

    // A stream of repacks from one producer item: 分装 into two with a loss, one of them kept at the stall.
    const acknowledged: Transformed[] = [];
    let stopped = false;
    const lane = async () => {
      while (!stopped) {
        try {
          const res = await fetch(`${server.url}/api/v1/stalls/${stallId}/transformations`, {
            method: 'POST',
            headers: vendor,
            body: JSON.stringify({
              kind: 'repack',
              inputs: [{ itemId: source!.id, quantity: 0.2 }],
              outputs: [
                { quantity: 0.1, keep: true },
                { quantity: 0.09, keep: false },
              ],
            }),
          });
          if (res.status === 201) acknowledged.push((await res.json()) as Transformed);
          else if (res.status !== 409) throw new Error(`repack: ${res.status} ${await res.text()}`);
        } catch (error) {
          if (stopped) return;
          if (error instanceof TypeError) return; // the server is gone
          throw error;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, lane));
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 5));
    await server.kill9();
    stopped = true;
    await load;
    console.log(`[kill -9] ${acknowledged.length} repacks acknowledged before SIGKILL`);

    await server.start();
    const db = openDatabase(database.url, kind);
    for (const t of acknowledged) {
      const stored = await rows(db, 'SELECT 1 FROM "Transformation" WHERE "id" = ?', t.id);
      expect(stored.length, `acknowledged ${t.id} is stored`).toBe(1);
      const outputs = await rows(db, 'SELECT 1 FROM "Certificate" WHERE "transformationId" = ?', t.id);
      expect(outputs.length).toBe(t.outputs.length);
    }
    await expectWholeTransformations(db);

    // A recall of the producer certificate with every repack above below it, killed while it runs.
    const regulator = await logIn(server.url, 'changsha_regulator');
    const root = source!.certificateId;
    const below = await descendantsOf(db, root);
    expect(below.length).toBeGreaterThanOrEqual(acknowledged.length * 2);
    const recall = fetch(`${server.url}/api/v1/recalls`, {
      method: 'POST',
      headers: regulator,
      body: JSON.stringify({ certificateId: root, reason: '故障测试：农残抽检超标' }),
    }).then(
      (res) => res.status,
      () => 'killed' as const,
    );
    await new Promise((r) => setTimeout(r, 40));
    await server.kill9();
    const answered = await recall;
    await server.start();

    const family = [root, ...below];
    const inFamily = `(${family.map(() => '?').join(',')})`;
    /** How many of the family are void, and whether the goods under them are held: all of it or none. */
    const recalled = async () => {
      const statuses = await rows<{ status: string }>(
        db,
        `SELECT "status" FROM "Certificate" WHERE "id" IN ${inFamily}`,
        ...family,
      );
      const voided = statuses.filter((row) => row.status === 'void').length;
      expect([0, family.length], 'void certificates of the family').toContain(voided);
      const held = await rows<{ held: number | boolean }>(
        db,
        `SELECT "held" FROM "InventoryItem" WHERE "certificateId" IN ${inFamily}`,
        ...family,
      );
      expect(held.length).toBeGreaterThan(0);
      expect(
        held.every((item) => Boolean(item.held) === voided > 0),
        'held iff recalled',
      ).toBe(true);
      return voided > 0;
    };
    const done = await recalled();
    console.log(`[kill -9] recall answered ${answered}; family of ${family.length} recalled: ${done}`);
    if (answered === 201) expect(done).toBe(true);
    await expectWholeTransformations(db);
    if (!done) {
      // Nothing of it survived the crash: sent again, it revokes the whole family.
      const again = await fetch(`${server.url}/api/v1/recalls`, {
        method: 'POST',
        headers: await logIn(server.url, 'changsha_regulator'),
        body: JSON.stringify({ certificateId: root, reason: '故障测试：农残抽检超标' }),
      });
      expect(again.status).toBe(201);
      expect(await recalled()).toBe(true);
    }
    await db.close();
  }, 300_000);
});
