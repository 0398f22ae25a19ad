import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSigner, encodeCertificate } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { applyMigrations, createPrismaClient, openRawSqlite } from '@liangzheng/prisma';
import { buildApp } from '@liangzheng/server/app';
import { systemClock } from '@liangzheng/server/clock/clock';
import { loadConfig } from '@liangzheng/server/config/config';
import { type DemoLogins, seedDemo } from '@liangzheng/server/demo/demo';
import { ephemeralKeyring } from '@liangzheng/server/keyring/keyring';
import { sqliteTime } from '@liangzheng/server/scan/scan-store.sqlite';
import type { FastifyInstance } from 'fastify';

export type DatabaseKind = 'sqlite' | 'postgresql';

export interface BenchServer {
  kind: DatabaseKind;
  app: FastifyInstance;
  base: string;
  demo: DemoLogins;
  /** signed code texts of certificates big enough never to run out */
  codes: string[];
  databaseUrl: string;
  /** open lots at the demo gate, inserted in bulk: setup, not part of what is measured */
  openLots(count: number, tag: string): Promise<string[]>;
  close(): Promise<void>;
}

const pgAdminUrl = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freshDatabase(
  kind: DatabaseKind,
  dir: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') return { url: `file:${path.join(dir, 'bench.db')}`, drop: async () => {} };
  const name = `lz_bench_${randomBytes(4).toString('hex')}`;
  const admin = createPrismaClient(pgAdminUrl);
  await admin.$executeRawUnsafe(`CREATE DATABASE ${name}`);
  await admin.$disconnect();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      // KEEP_DATABASE=1 leaves it for a look at its plans afterwards (`psql -d <name>`); drop it by hand then.
      if (process.env.KEEP_DATABASE === '1') {
        console.error(`kept PostgreSQL database ${name}`);
        return;
      }
      const again = createPrismaClient(pgAdminUrl);
      await again.$executeRawUnsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.$disconnect();
    },
  };
}

/** A real server on a fresh database, listening on loopback, with the demo data and a pool of certificates. */
export async function startBenchServer(kind: DatabaseKind, certificates: number): Promise<BenchServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lz-bench-'));
  const database = await freshDatabase(kind, dir);
  const databaseUrl = database.url;
  await applyMigrations(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  const loaded = loadConfig({ DATA_DIR: dir, DATABASE_URL: databaseUrl });
  if (!loaded.ok) throw new Error(loaded.issues.join('; '));
  // A benchmark device sends far more than a gate's per-minute allowance. The figures summary is folded in only when
  // read: in the background it would rebuild days again and again while a bulk load writes them.
  const config = { ...loaded.config, rateLimitPerMinute: 100_000_000, figuresCatchUpMs: 0 };
  const keyring = ephemeralKeyring();
  const app = await buildApp({ prisma, config, clock: systemClock, keyring });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const demo = await seedDemo(app);
  if (!demo) throw new Error('demo seed did not run');
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');

  const key = await prisma.issuerKey.findFirstOrThrow({
    where: { issuerId: demo.issuers.coop, status: 'active' },
  });
  const issuer = await prisma.issuer.findUniqueOrThrow({ where: { id: demo.issuers.coop } });
  const signer = createSigner(keyring.issuerSecretKey(key.privateKeySealed), nodeEd25519);
  const issuedAt = new Date(Math.max(Date.now() - 60_000, key.validFrom.getTime() + 1000));
  issuedAt.setMilliseconds(0);
  const rows = [];
  const codes: string[] = [];
  for (let i = 0; i < certificates; i++) {
    const id = randomBytes(8).toString('hex');
    const encoded = encodeCertificate(
      {
        id,
        kind: 'producer',
        keyId: key.keyId,
        issuerId: issuer.id,
        productCode: 1001,
        productName: '大白菜',
        category: 'vegetable',
        quantity: 10_000_000,
        unit: 'kg',
        originRegion: issuer.regionCode,
        basis: 'quality_control',
        issuedAt,
        parents: [],
      },
      signer,
      { host: config.codeHost },
    );
    if (!encoded.ok) throw new Error(encoded.error);
    codes.push(encoded.text);
    rows.push({
      id,
      kind: 'producer',
      issuerId: issuer.id,
      keyId: key.keyId,
      code: encoded.text,
      productCode: 1001,
      productName: '大白菜',
      category: 'vegetable',
      quantity: 10_000_000,
      unit: 'kg',
      originRegion: issuer.regionCode,
      issuerName: issuer.name,
      contact: issuer.contact,
      basis: 'quality_control',
      issuedAt,
    });
  }
  await prisma.certificate.createMany({ data: rows });
  const marketId = demo.markets.wholesale;
  const gateId = demo.gates.wholesaleEast;

  return {
    app,
    base: `http://127.0.0.1:${address.port}`,
    demo,
    codes,
    databaseUrl,
    kind,
    async openLots(count, tag) {
      if (kind === 'sqlite') return openSqliteLots(databaseUrl, marketId, gateId, count, tag);
      const ids = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
      for (let from = 0; from < ids.length; from += 5000) {
        await prisma.lot.createMany({
          data: ids.slice(from, from + 5000).map((id) => ({
            id,
            marketId,
            gateId,
            plate: '湘A·00000',
            supplier: 'bench',
            productName: '大白菜',
            productCode: 1001,
            category: 'vegetable',
            quantity: 10,
            unit: 'kg',
          })),
        });
      }
      return ids;
    },
    async close() {
      await app.close();
      await prisma.$disconnect();
      await database.drop();
    },
  };
}

function openSqliteLots(
  databaseUrl: string,
  marketId: number,
  gateId: number,
  count: number,
  tag: string,
): string[] {
  const raw = openRawSqlite(databaseUrl);
  const insert = raw.prepare(
    `INSERT INTO "Lot" ("id","marketId","gateId","plate","supplier","productName","productCode","category","quantity",
      "unit","noCertificate","status","openedAt") VALUES (?,?,?,'湘A·00000','bench','大白菜',1001,'vegetable',10,'kg',0,'open',?)`,
  );
  const ids: string[] = [];
  const at = sqliteTime(new Date());
  raw.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `${tag}-${i}`;
      insert.run(id, marketId, gateId, at);
      ids.push(id);
    }
  })();
  raw.close();
  return ids;
}
