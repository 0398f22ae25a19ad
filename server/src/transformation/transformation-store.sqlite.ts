import { setTimeout as sleep } from 'node:timers/promises';
import type { TransformationRequest } from '@liangzheng/domain';
import type { Database } from 'better-sqlite3';
import { canonicalJson, canonicalRow, chainHash, GENESIS_HASH } from '../audit/audit-log.ts';
import { ledgerTolerance } from '../ledger/ledger.ts';
import { rapidTestHoldReason } from '../rapid-test/rapid-test-hold.ts';
import { sqliteTime } from '../scan/scan-store.sqlite.ts';
import {
  type Decision,
  type ProductFacts,
  productCodesOf,
  type StallFacts,
  type StoredItem,
  type StoreOutcome,
  type TransformationFacts,
  type TransformationStore,
} from './transformation-store.ts';

/** Thrown inside the transaction so that better-sqlite3 rolls it back. */
class TakeFailed {
  constructor(
    readonly itemId: string,
    readonly quantity: number,
  ) {}
}

/**
 * How long a transformation keeps retrying while another connection (Prisma's) holds the write lock. Each try
 * fails at once (busy_timeout 0) and the wait is asynchronous: a synchronous busy wait would block the event loop,
 * and with it the very transaction it waits for.
 */
const busyPatienceMs = 5_000;
const busyBackoffMs = [1, 2, 5, 10, 20] as const;

const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  (error as { code: string }).code.startsWith('SQLITE_BUSY');

interface ItemRow {
  id: string;
  marketId: number;
  stallId: number | null;
  certificateId: string;
  received: number;
  drawn: number;
  held: number;
  unit: string;
  status: string;
  productCode: number;
  productName: string;
  category: string;
  originRegion: string;
  originText: string;
  basis: string;
  unverifiedSources: number;
}

export const storedItem = (
  row: Omit<ItemRow, 'held' | 'unverifiedSources'> & {
    held: number | boolean;
    unverifiedSources: number | boolean;
  },
): StoredItem => ({
  id: row.id,
  marketId: row.marketId,
  stallId: row.stallId,
  certificateId: row.certificateId,
  received: row.received,
  drawn: row.drawn,
  held: Boolean(row.held),
  unit: row.unit,
  certificate: {
    status: row.status,
    productCode: row.productCode,
    productName: row.productName,
    category: row.category,
    originRegion: row.originRegion,
    originText: row.originText,
    basis: row.basis,
    unverifiedSources: Boolean(row.unverifiedSources),
  },
});

/**
 * The transformation's write path on raw better-sqlite3: prepared statements in one IMMEDIATE transaction, run
 * synchronously, so reading the items, deciding and taking cannot interleave with another transformation. Its own
 * connection, so that the retry on a busy write lock waits without blocking the event loop.
 */
export function createSqliteTransformationStore(db: Database): TransformationStore {
  db.pragma('busy_timeout = 0');
  const statements = prepare(db);

  const run = db.transaction(
    (
      stallId: number,
      request: TransformationRequest,
      mixProducts: readonly number[],
      decide: (facts: TransformationFacts) => Decision,
    ) => {
      const stall = statements.stall.get(stallId) as StallFacts | undefined;
      const facts: TransformationFacts = {
        stall,
        items: new Map(),
        products: new Map(),
        issuer: undefined,
        key: undefined,
      };
      if (stall?.issuerId) {
        const readItems = () => {
          const found = new Map<string, StoredItem>();
          for (const input of request.inputs) {
            const row = statements.item.get(input.itemId) as ItemRow | undefined;
            if (row) found.set(row.id, storedItem(row));
          }
          return found;
        };
        let items = readItems();
        // Only an input not yet in the inventory needs the stall's accepted lots made into items: a long-lived
        // stall has thousands of lots, and looking through them on every repack would cost more than the repack.
        if (request.inputs.some((input) => !items.has(input.itemId))) {
          statements.materialise.run({
            marketId: stall.marketId,
            stallId: stall.id,
            now: sqliteTime(new Date()),
            heldReason: rapidTestHoldReason,
          });
          items = readItems();
        }
        const products = new Map<number, ProductFacts>();
        for (const code of productCodesOf(request, items.values(), mixProducts)) {
          const row = statements.product.get(code) as
            | (Omit<ProductFacts, 'active'> & { active: number })
            | undefined;
          if (row) products.set(code, { ...row, active: Boolean(row.active) });
        }
        const issuer = statements.issuer.get(stall.issuerId) as
          | { id: number; name: string; contact: string; active: number }
          | undefined;
        facts.items = items;
        facts.products = products;
        facts.issuer = issuer && { ...issuer, active: Boolean(issuer.active) };
        facts.key = statements.activeKey.get(stall.issuerId) as TransformationFacts['key'];
      }
      const decision = decide(facts);
      // A refusal writes nothing of its own; what materialising found is kept, as a read would have kept it.
      if (!decision.ok) return { kind: 'refused', refusal: decision.refusal } satisfies StoreOutcome;
      const { write } = decision;
      const t = write.transformation;
      const at = sqliteTime(t.at);
      // Row creation time, as Prisma's @default(now()) would stamp it; `at` is the market's clock.
      const createdAt = sqliteTime(new Date());
      statements.insertTransformation.run(
        t.id,
        t.kind,
        t.marketId,
        t.stallId,
        t.issuerId,
        t.actor,
        t.unit,
        t.taken,
        t.made,
        t.loss,
        at,
      );
      for (const c of write.certificates) {
        statements.insertCertificate.run(
          c.id,
          c.kind,
          c.issuerId,
          c.keyId,
          c.code,
          c.productCode,
          c.productName,
          c.category,
          c.quantity,
          c.unit,
          c.originRegion,
          c.originText,
          c.issuerName,
          c.contact,
          c.basis,
          c.commitmentVersion,
          sqliteTime(c.issuedAt),
          c.unverifiedSources ? 1 : 0,
          t.id,
          createdAt,
        );
        for (const parent of c.parents)
          statements.insertParent.run(c.id, parent.certificateId, parent.quantity);
      }
      for (const d of write.draws) {
        statements.insertDraw.run(
          d.id,
          t.id,
          d.inventoryItemId,
          d.sourceCertificateId,
          d.outputCertificateId,
          d.quantity,
        );
      }
      for (const k of write.kept) {
        statements.insertKept.run(
          k.id,
          t.marketId,
          t.stallId,
          k.certificateId,
          t.id,
          k.received,
          k.unit,
          at,
          createdAt,
        );
      }
      for (const u of write.unverifiedSources) {
        statements.insertUnverified.run(
          u.id,
          t.id,
          u.kind,
          u.description,
          u.quantity,
          u.unit,
          u.code,
          u.photo,
          u.photoType,
        );
      }
      for (const change of write.trustChanges) statements.insertTrustChange.run(change.kind, change.ref, at);
      for (const take of write.takes) {
        const taken = statements.take.run(take.quantity, take.itemId, take.quantity, ledgerTolerance);
        if (taken.changes !== 1) throw new TakeFailed(take.itemId, take.quantity);
      }
      const last = statements.lastAuditHash.get() as { hash: string } | undefined;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const row = { at: t.at, ...write.audit, data: canonicalJson(write.audit.data) };
      statements.insertAudit.run(
        at,
        row.actor,
        row.action,
        row.entity,
        row.entityId,
        row.data,
        prevHash,
        chainHash(prevHash, canonicalRow(row)),
      );
      return { kind: 'stored', write } satisfies StoreOutcome;
    },
  );

  return {
    async transform(stallId, request, mixProducts, decide) {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          return run.immediate(stallId, request, mixProducts, decide) as StoreOutcome;
        } catch (error) {
          if (error instanceof TakeFailed) {
            return { kind: 'take_failed', itemId: error.itemId, quantity: error.quantity };
          }
          if (!isBusy(error) || Date.now() - started > busyPatienceMs) throw error;
          await sleep(busyBackoffMs[Math.min(attempt, busyBackoffMs.length - 1)]);
        }
      }
    },
    async close() {
      db.close();
    },
  };
}

function prepare(db: Database) {
  return {
    stall: db.prepare(
      `SELECT s."id", s."marketId", m."regionCode", v."issuerId" FROM "Stall" s
        JOIN "Market" m ON m."id" = s."marketId" LEFT JOIN "Vendor" v ON v."id" = s."vendorId"
        WHERE s."id" = ?`,
    ),
    // The same items as `materialise` in custody/inventory.ts makes through Prisma (docs/custody.md): per accepted
    // lot and certificate, what the lot charged to that certificate's ledger; held while a positive rapid test holds.
    materialise: db.prepare(
      `INSERT INTO "InventoryItem" ("id","marketId","stallId","certificateId","lotId","received","drawn","unit",
          "held","heldReason","receivedAt","createdAt")
        SELECT 'lot:' || l."id" || ':' || d."certificateId", l."marketId", l."stallId", d."certificateId", l."id",
          SUM(d."quantityClaim"), 0, c."unit", l."holding", CASE WHEN l."holding" THEN @heldReason END,
          COALESCE(l."judgedAt", l."openedAt"), @now
        FROM (
          SELECT l.*, EXISTS (
              SELECT 1 FROM "RapidTest" r WHERE r."lotId" = l."id" AND r."retestOfId" IS NULL
                AND r."result" = 'positive' AND (r."decision" IS NULL OR r."decision" <> 'released')
            ) AS "holding"
          FROM "Lot" l
          WHERE l."marketId" = @marketId AND l."stallId" = @stallId AND l."outcome" = 'accept'
            AND l."status" IN ('judged', 'closed')
            AND NOT EXISTS (SELECT 1 FROM "InventoryItem" i WHERE i."lotId" = l."id")
            AND EXISTS (SELECT 1 FROM "LotDocument" d WHERE d."lotId" = l."id" AND d."certificateId" IS NOT NULL
              AND d."quantityClaim" > 0)
          LIMIT 500
        ) l
        JOIN "LotDocument" d ON d."lotId" = l."id" AND d."certificateId" IS NOT NULL AND d."quantityClaim" > 0
        JOIN "Certificate" c ON c."id" = d."certificateId"
        WHERE true
        GROUP BY l."id", d."certificateId"
        ON CONFLICT ("id") DO NOTHING`,
    ),
    item: db.prepare(
      `SELECT i."id", i."marketId", i."stallId", i."certificateId", i."received", i."drawn", i."held", i."unit",
          c."status", c."productCode", c."productName", c."category", c."originRegion", c."originText", c."basis",
          c."unverifiedSources"
        FROM "InventoryItem" i JOIN "Certificate" c ON c."id" = i."certificateId" WHERE i."id" = ?`,
    ),
    product: db.prepare(`SELECT "code", "name", "category", "active" FROM "Product" WHERE "code" = ?`),
    issuer: db.prepare(`SELECT "id", "name", "contact", "active" FROM "Issuer" WHERE "id" = ?`),
    activeKey: db.prepare(
      `SELECT "keyId", "privateKeySealed" FROM "IssuerKey" WHERE "issuerId" = ? AND "status" = 'active'
        ORDER BY "validFrom" DESC LIMIT 1`,
    ),
    insertTransformation: db.prepare(
      `INSERT INTO "Transformation" ("id","kind","marketId","stallId","issuerId","actor","unit","taken","made","loss","at")
        VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
    ),
    insertCertificate: db.prepare(
      `INSERT INTO "Certificate" ("id","kind","issuerId","keyId","code","productCode","productName","category",
          "quantity","unit","originRegion","originText","issuerName","contact","basis","commitmentVersion","issuedAt",
          "unverifiedSources","status","usedQuantity","transformationId","lookupCount","createdAt")
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'valid',0,?,0,?)`,
    ),
    insertParent: db.prepare(
      `INSERT INTO "CertificateParent" ("childId","parentId","quantity") VALUES (?,?,?)`,
    ),
    insertDraw: db.prepare(
      `INSERT INTO "TransformationDraw" ("id","transformationId","inventoryItemId","sourceCertificateId",
          "outputCertificateId","quantity") VALUES (?,?,?,?,?,?)`,
    ),
    insertKept: db.prepare(
      `INSERT INTO "InventoryItem" ("id","marketId","stallId","certificateId","transformationId","received","drawn",
          "unit","held","receivedAt","createdAt") VALUES (?,?,?,?,?,?,0,?,0,?,?)`,
    ),
    insertUnverified: db.prepare(
      `INSERT INTO "UnverifiedSource" ("id","transformationId","kind","description","quantity","unit","code","photo",
          "photoType") VALUES (?,?,?,?,?,?,?,?,?)`,
    ),
    insertTrustChange: db.prepare(`INSERT INTO "TrustChange" ("kind","ref","at") VALUES (?,?,?)`),
    take: db.prepare(
      `UPDATE "InventoryItem" SET "drawn" = "drawn" + ?
        WHERE "id" = ? AND "held" = 0 AND "drawn" + ? <= "received" + ?`,
    ),
    lastAuditHash: db.prepare(`SELECT "hash" FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1`),
    insertAudit: db.prepare(
      `INSERT INTO "AuditLog" ("at","actor","action","entity","entityId","data","prevHash","hash")
        VALUES (?,?,?,?,?,?,?,?)`,
    ),
  };
}
