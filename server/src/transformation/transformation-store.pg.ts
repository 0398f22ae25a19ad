import type { TransformationRequest } from '@liangzheng/domain';
import { parseDatabaseUrl } from '@liangzheng/prisma';
import pg from 'pg';
import { canonicalJson, canonicalRow } from '../audit/audit-log.ts';
import { ledgerTolerance } from '../ledger/ledger.ts';
import { rapidTestHoldReason } from '../rapid-test/rapid-test-hold.ts';
import { storedItem } from './transformation-store.sqlite.ts';
import type {
  Decision,
  ProductFacts,
  StallFacts,
  StoreOutcome,
  TransformationFacts,
  TransformationStore,
  TransformationWrite,
} from './transformation-store.ts';

/** What "lz_refuse" raises (the audit-append migration): a take that no longer fitted; its detail names the item. */
const refusedState = 'LZ409';
/** PostgreSQL's deadlock: two writes that took the same items in another order; one is rolled back whole. */
const deadlockState = '40P01';
const attempts = 3;

/** Prisma keeps DateTime as UTC wall time in TIMESTAMP(3); an ISO text cast to timestamp drops the Z likewise. */
const utc = (date: Date): string => date.toISOString();

/**
 * Everything a decision reads, in one statement and so one snapshot: the stall with the identity its vendor signs
 * as, the requested input items with their certificates and those certificates' products, and the requested and mix
 * products. Nothing is locked: the write takes each input with a conditional update that checks again what is left.
 */
const factsQuery = {
  name: 'transformation-facts',
  text: `SELECT
      (SELECT row_to_json(stall) FROM (
        SELECT s."id", s."marketId", m."regionCode", v."issuerId",
          i."id" AS "iId", i."name" AS "iName", i."contact" AS "iContact", i."active" AS "iActive",
          k."keyId", k."privateKeySealed"
        FROM "Stall" s
        JOIN "Market" m ON m."id" = s."marketId"
        LEFT JOIN "Vendor" v ON v."id" = s."vendorId"
        LEFT JOIN "Issuer" i ON i."id" = v."issuerId"
        LEFT JOIN LATERAL (
          SELECT "keyId", "privateKeySealed" FROM "IssuerKey"
          WHERE "issuerId" = i."id" AND "status" = 'active' ORDER BY "validFrom" DESC LIMIT 1
        ) k ON true
        WHERE s."id" = $1
      ) stall) AS "stall",
      (SELECT COALESCE(json_agg(item), '[]') FROM (
        SELECT i."id", i."marketId", i."stallId", i."certificateId", i."received", i."drawn", i."held", i."unit",
          c."status", c."productCode", c."productName", c."category", c."originRegion", c."originText", c."basis",
          c."unverifiedSources"
        FROM "InventoryItem" i JOIN "Certificate" c ON c."id" = i."certificateId"
        WHERE i."id" = ANY($2::text[])
      ) item) AS "items",
      (SELECT COALESCE(json_agg(product), '[]') FROM (
        SELECT p."code", p."name", p."category", p."active" FROM "Product" p
        WHERE p."code" = ANY($3::int[]) OR p."code" IN (
          SELECT c."productCode" FROM "InventoryItem" i JOIN "Certificate" c ON c."id" = i."certificateId"
          WHERE i."id" = ANY($2::text[])
        )
      ) product) AS "products"`,
};

interface StallRow extends StallFacts {
  iId: number | null;
  iName: string | null;
  iContact: string | null;
  iActive: boolean | null;
  keyId: string | null;
  privateKeySealed: string | null;
}

interface FactsRow {
  stall: StallRow | null;
  items: Parameters<typeof storedItem>[0][];
  products: ProductFacts[];
}

/**
 * The same items as `materialise` in custody/inventory.ts makes through Prisma (docs/custody.md): per accepted lot
 * and certificate, what the lot charged to that certificate's ledger; held while a positive rapid test holds. Not a
 * named statement: a generic plan would not see how few lots one stall has.
 */
const materialiseText = `INSERT INTO "InventoryItem" ("id","marketId","stallId","certificateId","lotId","received","drawn",
      "unit","held","heldReason","receivedAt","createdAt")
    SELECT 'lot:' || l."id" || ':' || d."certificateId", l."marketId", l."stallId", d."certificateId", l."id",
      SUM(d."quantityClaim"), 0, c."unit", l."holding", CASE WHEN l."holding" THEN $3 END,
      COALESCE(l."judgedAt", l."openedAt"), now() AT TIME ZONE 'UTC'
    FROM (
      SELECT l."id", l."marketId", l."stallId", l."judgedAt", l."openedAt", EXISTS (
          SELECT 1 FROM "RapidTest" r WHERE r."lotId" = l."id" AND r."retestOfId" IS NULL
            AND r."result" = 'positive' AND (r."decision" IS NULL OR r."decision" <> 'released')
        ) AS "holding"
      FROM "Lot" l
      WHERE l."marketId" = $1 AND l."stallId" = $2 AND l."outcome" = 'accept'
        AND l."status" IN ('judged', 'closed')
        AND NOT EXISTS (SELECT 1 FROM "InventoryItem" i WHERE i."lotId" = l."id")
        AND EXISTS (SELECT 1 FROM "LotDocument" d WHERE d."lotId" = l."id" AND d."certificateId" IS NOT NULL
          AND d."quantityClaim" > 0)
      LIMIT 500
    ) l
    JOIN "LotDocument" d ON d."lotId" = l."id" AND d."certificateId" IS NOT NULL AND d."quantityClaim" > 0
    JOIN "Certificate" c ON c."id" = d."certificateId"
    GROUP BY l."id", l."marketId", l."stallId", l."judgedAt", l."openedAt", l."holding", d."certificateId", c."unit"
    ON CONFLICT ("id") DO NOTHING`;

/**
 * Everything a transformation writes, as one autocommitted statement of data-modifying CTEs over parameter arrays
 * (foreign keys are checked at the end of the statement, so rows may reference rows inserted beside them). The takes
 * come first, each conditional on what its item has left and on the item not being held; if one did not fit,
 * "lz_refuse" aborts the statement and nothing of it stays. Otherwise "lz_audit_append" chains the audit row under the
 * audit lock, which is then held only until this statement commits, never across a round trip. Named, so that each
 * connection parses and plans it once.
 */
function writeStatement(write: TransformationWrite): pg.QueryConfig {
  const t = write.transformation;
  const c = write.certificates;
  const u = write.unverifiedSources;
  const parents = c.flatMap((certificate) =>
    certificate.parents.map((parent) => ({ childId: certificate.id, ...parent })),
  );
  const audit = { at: t.at, ...write.audit, data: canonicalJson(write.audit.data) };
  // Items taken in one order by every writer: two transformations sharing items queue instead of deadlocking.
  const takes = [...write.takes].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  const values: unknown[] = [
    // $1–$11: the transformation
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
    utc(t.at),
    // $12–$27: its certificates, column by column
    c.map((x) => x.id),
    c.map((x) => x.keyId),
    c.map((x) => x.code),
    c.map((x) => x.productCode),
    c.map((x) => x.productName),
    c.map((x) => x.category),
    c.map((x) => x.quantity),
    c.map((x) => x.unit),
    c.map((x) => x.originRegion),
    c.map((x) => x.originText),
    c.map((x) => x.issuerName),
    c.map((x) => x.contact),
    c.map((x) => x.basis),
    c.map((x) => x.commitmentVersion),
    c.map((x) => utc(x.issuedAt)),
    c.map((x) => x.kind),
    // $28–$30: their parents
    parents.map((p) => p.childId),
    parents.map((p) => p.certificateId),
    parents.map((p) => p.quantity),
    // $31–$35: the draws
    write.draws.map((d) => d.id),
    write.draws.map((d) => d.inventoryItemId),
    write.draws.map((d) => d.sourceCertificateId),
    write.draws.map((d) => d.outputCertificateId),
    write.draws.map((d) => d.quantity),
    // $36–$39: the kept outputs
    write.kept.map((k) => k.id),
    write.kept.map((k) => k.certificateId),
    write.kept.map((k) => k.received),
    write.kept.map((k) => k.unit),
    // $40–$42: the takes
    takes.map((x) => x.itemId),
    takes.map((x) => x.quantity),
    ledgerTolerance,
    // $43–$48: the audit row, which "lz_audit_append" chains onto the newest head
    audit.actor,
    audit.action,
    audit.entity,
    audit.entityId,
    audit.data,
    canonicalRow(audit),
    // $49: which certificates carry the review flag
    c.map((x) => x.unverifiedSources),
    // $50–$57: the declared unverified sources
    u.map((x) => x.id),
    u.map((x) => x.kind),
    u.map((x) => x.description),
    u.map((x) => x.quantity),
    u.map((x) => x.unit),
    u.map((x) => x.code),
    u.map((x) => x.photo),
    u.map((x) => x.photoType),
    // $58–$59: trust changes
    write.trustChanges.map((x) => x.kind),
    write.trustChanges.map((x) => x.ref),
  ];
  const text = `WITH takes AS (
      UPDATE "InventoryItem" AS i SET "drawn" = i."drawn" + v.q
      FROM unnest($40::text[], $41::float8[]) AS v(id, q)
      WHERE i."id" = v.id AND i."held" = false AND i."drawn" + v.q <= i."received" + $42
      RETURNING i."id"
    ), transformation AS (
      INSERT INTO "Transformation" ("id","kind","marketId","stallId","issuerId","actor","unit","taken","made","loss","at")
      VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::timestamp)
    ), certificates AS (
      INSERT INTO "Certificate" ("id","keyId","code","productCode","productName","category","quantity","unit",
        "originRegion","originText","issuerName","contact","basis","commitmentVersion","issuedAt","kind",
        "unverifiedSources","issuerId","status","usedQuantity","transformationId","lookupCount","createdAt")
      SELECT v.*, $5, 'valid', 0, $1, 0, now() AT TIME ZONE 'UTC'
      FROM unnest($12::text[], $13::text[], $14::text[], $15::int[], $16::text[], $17::text[], $18::float8[],
        $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::timestamp[],
        $27::text[], $49::bool[]) AS v
    ), parents AS (
      INSERT INTO "CertificateParent" ("childId","parentId","quantity")
      SELECT * FROM unnest($28::text[], $29::text[], $30::float8[])
    ), draws AS (
      INSERT INTO "TransformationDraw" ("id","inventoryItemId","sourceCertificateId","outputCertificateId","quantity",
        "transformationId")
      SELECT v.*, $1 FROM unnest($31::text[], $32::text[], $33::text[], $34::text[], $35::float8[]) AS v
    ), kept AS (
      INSERT INTO "InventoryItem" ("id","certificateId","received","unit","marketId","stallId","transformationId",
        "drawn","held","receivedAt","createdAt")
      SELECT v.*, $3, $4, $1, 0, false, $11::timestamp, now() AT TIME ZONE 'UTC'
      FROM unnest($36::text[], $37::text[], $38::float8[], $39::text[]) AS v
    ), unverified AS (
      INSERT INTO "UnverifiedSource" ("id","kind","description","quantity","unit","code","photo","photoType",
        "transformationId")
      SELECT v.*, $1 FROM unnest($50::text[], $51::text[], $52::text[], $53::float8[], $54::text[], $55::text[],
        $56::bytea[], $57::text[]) AS v
    ), trust AS (
      INSERT INTO "TrustChange" ("kind","ref","at")
      SELECT v.*, $11::timestamp FROM unnest($58::text[], $59::text[]) AS v
    )
    SELECT CASE WHEN missed.id IS NULL
        THEN "lz_audit_append"($11::timestamp, $43, $44, $45, $46, $47, $48)
        ELSE "lz_refuse"('take_failed', missed.id)
      END
    FROM (
      SELECT (SELECT min(x) FROM unnest($40::text[]) AS x WHERE x NOT IN (SELECT "id" FROM takes)) AS id
    ) missed`;
  return { name: 'transformation-write', text, values };
}

/** Like Prisma's pool and the scan reads: the URL's connection and schema. */
function poolOf(databaseUrl: string, max: number): pg.Pool {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind !== 'postgresql')
    throw new Error('the PostgreSQL transformation store needs a postgres:// URL');
  const pool = new pg.Pool({
    ...target.connection,
    max,
    connectionTimeoutMillis: 3000,
    ...(target.schema ? { options: `-c search_path="${target.schema.replaceAll('"', '""')}"` } : {}),
  });
  // An idle client's error (a restarted server, say) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/**
 * The transformation's write path on raw `pg`, in two round trips: one statement reads the facts, the pure decision
 * signs the outputs, one autocommitted statement writes it all (see `writeStatement`). 20 parallel draws on one item
 * queue on the item's row in that statement and each checks again what is left, so they never exceed it; the audit
 * lock is held only while PostgreSQL finishes and commits the statement, so transformations do not queue behind each
 * other's round trips, and they never hold it while waiting for anything the scan path's batches hold.
 */
export function createPgTransformationStore(databaseUrl: string, max = 8): TransformationStore {
  const pool = poolOf(databaseUrl, max);

  async function readFacts(
    client: pg.PoolClient,
    stallId: number,
    request: TransformationRequest,
    mixProducts: readonly number[],
  ): Promise<TransformationFacts> {
    const itemIds = request.inputs.map((input) => input.itemId);
    const requestedProducts = request.outputs.flatMap((output) =>
      output.productCode ? [output.productCode] : [],
    );
    const row = (
      await client.query<FactsRow>({
        ...factsQuery,
        values: [stallId, itemIds, [...requestedProducts, ...mixProducts]],
      })
    ).rows[0]!;
    const stall = row.stall;
    return {
      stall: stall
        ? { id: stall.id, marketId: stall.marketId, regionCode: stall.regionCode, issuerId: stall.issuerId }
        : undefined,
      items: new Map(row.items.map((item) => [item.id, storedItem(item)])),
      products: new Map(row.products.map((product) => [product.code, product])),
      issuer:
        stall?.iId != null
          ? { id: stall.iId, name: stall.iName!, contact: stall.iContact!, active: stall.iActive! }
          : undefined,
      key:
        stall?.keyId != null ? { keyId: stall.keyId, privateKeySealed: stall.privateKeySealed! } : undefined,
    };
  }

  async function transformOn(
    client: pg.PoolClient,
    stallId: number,
    request: TransformationRequest,
    mixProducts: readonly number[],
    decide: (facts: TransformationFacts) => Decision,
  ): Promise<StoreOutcome> {
    let facts = await readFacts(client, stallId, request, mixProducts);
    const stall = facts.stall;
    if (stall?.issuerId != null && request.inputs.some((input) => !facts.items.has(input.itemId))) {
      // An input not yet in the inventory may come from a lot accepted since the stall's inventory was last read:
      // the stall's accepted lots become items first (its own statement, outside any lock), then the facts again.
      await client.query(materialiseText, [stall.marketId, stall.id, rapidTestHoldReason]);
      facts = await readFacts(client, stallId, request, mixProducts);
    }
    const decision = decide(facts);
    if (!decision.ok) return { kind: 'refused', refusal: decision.refusal };
    try {
      await client.query(writeStatement(decision.write));
      return { kind: 'stored', write: decision.write };
    } catch (error) {
      if (!(error instanceof pg.DatabaseError) || error.code !== refusedState) throw error;
      const itemId = error.detail ?? '';
      const take = decision.write.takes.find((t) => t.itemId === itemId);
      return { kind: 'take_failed', itemId, quantity: take?.quantity ?? 0 };
    }
  }

  return {
    async transform(stallId, request, mixProducts, decide) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // Optimistic: whatever moved between the read and the write (an item drawn or held meanwhile, a deadlock
        // that rolled the statement back) is decided again on fresh facts, so the refusal names what is there now.
        for (let attempt = 1; ; attempt++) {
          try {
            const outcome = await transformOn(client, stallId, request, mixProducts, decide);
            if (outcome.kind !== 'take_failed' || attempt === attempts) return outcome;
          } catch (error) {
            const deadlocked = error instanceof pg.DatabaseError && error.code === deadlockState;
            if (!deadlocked || attempt === attempts) throw error;
          }
        }
      } catch (error) {
        // A connection that failed mid-statement is not handed to the next request.
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
