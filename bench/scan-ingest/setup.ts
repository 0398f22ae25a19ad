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

export interface BenchServer {
  app: FastifyInstance;
  base: string;
  demo: DemoLogins;
  /** signed code texts of certificates big enough never to run out */
  codes: string[];
  databaseUrl: string;
  close(): Promise<void>;
}

/** A real server on a fresh SQLite file, listening on loopback, with the demo data and a pool of certificates. */
export async function startBenchServer(certificates: number): Promise<BenchServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lz-bench-'));
  const databaseUrl = `file:${path.join(dir, 'bench.db')}`;
  await applyMigrations(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  const loaded = loadConfig({ DATA_DIR: dir, DATABASE_URL: databaseUrl });
  if (!loaded.ok) throw new Error(loaded.issues.join('; '));
  // A benchmark device sends far more than a gate's per-minute allowance.
  const config = { ...loaded.config, rateLimitPerMinute: 100_000_000 };
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
  const raw = openRawSqlite(databaseUrl);
  const insert = raw.prepare(
    `INSERT INTO "Certificate" ("id","kind","issuerId","keyId","code","productCode","productName","category",
      "quantity","unit","originRegion","issuerName","contact","basis","issuedAt","createdAt")
      VALUES (?,'producer',?,?,?,1001,'大白菜','vegetable',10000000,'kg',?,?,?,'quality_control',?,?)`,
  );
  const codes: string[] = [];
  raw.transaction(() => {
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
      const at = sqliteTime(issuedAt);
      insert.run(
        id,
        issuer.id,
        key.keyId,
        encoded.text,
        issuer.regionCode,
        issuer.name,
        issuer.contact,
        at,
        at,
      );
      codes.push(encoded.text);
    }
  })();
  raw.close();

  return {
    app,
    base: `http://127.0.0.1:${address.port}`,
    demo,
    codes,
    databaseUrl,
    async close() {
      await app.close();
      await prisma.$disconnect();
    },
  };
}

/** Open lots at the demo gate, inserted raw: setup, not part of what is measured. Returns their ids. */
export function openLots(
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
