import type { TransformationRequest } from '@liangzheng/domain';
import { parseDatabaseUrl } from '@liangzheng/prisma';
import pg from 'pg';
import { canonicalJson, canonicalRow, GENESIS_HASH } from '../audit/audit-log.ts';
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

/** Transaction-scoped lock serialising audit appends; the same key as the app's audit log and the scan store. */
const auditLockKey = 7355608;

/** Prisma keeps DateTime as UTC wall time in TIMESTAMP(3); an ISO text cast to timestamp drops the Z likewise. */
const utc = (date: Date): string => date.toISOString();

const stallQuery = {
  name: 'transformation-stall',
  text: `SELECT s."id", s."marketId", m."regionCode", v."issuerId",
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
    WHERE s."id" = $1`,
};

interface StallRow extends StallFacts {
  iId: number | null;
  iName: string | null;
  iContact: string | null;
  iActive: boolean | null;
  keyId: string | null;
  privateKeySealed: string | null;
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

/** The input items with their certificates, row-locked in id order so that draws on one item queue, never deadlock. */
const itemsQuery = {
  name: 'transformation-items',
  text: `SELECT i."id", i."marketId", i."stallId", i."certificateId", i."received", i."drawn", i."held", i."unit",
      c."status", c."productCode", c."productName", c."category", c."originRegion", c."originText", c."basis",
      c."unverifiedSources"
    FROM "InventoryItem" i JOIN "Certificate" c ON c."id" = i."certificateId"
    WHERE i."id" = ANY($1::text[]) ORDER BY i."id" FOR UPDATE OF i`,
};

/**
 * The products a decision may look up: the sources' (through the requested items), the requested outputs' and the
 * mix products. Read before the items are locked: a product row is the same either way.
 */
const productsQuery = {
  name: 'transformation-products',
  text: `SELECT "code", "name", "category", "active" FROM "Product"
    WHERE "code" = ANY($1::int[]) OR "code" IN (
      SELECT c."productCode" FROM "InventoryItem" i JOIN "Certificate" c ON c."id" = i."certificateId"
      WHERE i."id" = ANY($2::text[])
    )`,
};

/**
 * Everything a transformation writes, as one statement of data-modifying CTEs over parameter arrays (foreign keys
 * are checked at the end of the statement, so rows may reference rows inserted beside them). The takes stay
 * conditional and answer which items they took from: every input must be among them.
 */
function writeStatement(write: TransformationWrite): pg.QueryConfig {
  const t = write.transformation;
  const c = write.certificates;
  const u = write.unverifiedSources;
  const parents = c.flatMap((certificate) =>
    certificate.parents.map((parent) => ({ childId: certificate.id, ...parent })),
  );
  const audit = { at: t.at, ...write.audit, data: canonicalJson(write.audit.data) };
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
    write.takes.map((x) => x.itemId),
    write.takes.map((x) => x.quantity),
    ledgerTolerance,
    // $43–$49: the audit row; it chains onto the head it reads, which the audit lock holds still
    audit.actor,
    audit.action,
    audit.entity,
    audit.entityId,
    audit.data,
    canonicalRow(audit),
    GENESIS_HASH,
    // $50: which certificates carry the review flag
    c.map((x) => x.unverifiedSources),
    // $51–$58: the declared unverified sources
    u.map((x) => x.id),
    u.map((x) => x.kind),
    u.map((x) => x.description),
    u.map((x) => x.quantity),
    u.map((x) => x.unit),
    u.map((x) => x.code),
    u.map((x) => x.photo),
    u.map((x) => x.photoType),
    // $59–$60: trust changes
    write.trustChanges.map((x) => x.kind),
    write.trustChanges.map((x) => x.ref),
  ];
  const text = `WITH transformation AS (
      INSERT INTO "Transformation" ("id","kind","marketId","stallId","issuerId","actor","unit","taken","made","loss","at")
      VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::timestamp)
    ), certificates AS (
      INSERT INTO "Certificate" ("id","keyId","code","productCode","productName","category","quantity","unit",
        "originRegion","originText","issuerName","contact","basis","commitmentVersion","issuedAt","kind",
        "unverifiedSources","issuerId","status","usedQuantity","transformationId","lookupCount","createdAt")
      SELECT v.*, $5, 'valid', 0, $1, 0, now() AT TIME ZONE 'UTC'
      FROM unnest($12::text[], $13::text[], $14::text[], $15::int[], $16::text[], $17::text[], $18::float8[],
        $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::timestamp[],
        $27::text[], $50::bool[]) AS v
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
      SELECT v.*, $1 FROM unnest($51::text[], $52::text[], $53::text[], $54::float8[], $55::text[], $56::text[],
        $57::bytea[], $58::text[]) AS v
    ), trust AS (
      INSERT INTO "TrustChange" ("kind","ref","at")
      SELECT v.*, $11::timestamp FROM unnest($59::text[], $60::text[]) AS v
    ), audit AS (
      INSERT INTO "AuditLog" ("at","actor","action","entity","entityId","data","prevHash","hash")
      SELECT $11::timestamp, $43, $44, $45, $46, $47, head.hash,
        encode(sha256(convert_to(head.hash || $48, 'UTF8')), 'hex')
      FROM (SELECT COALESCE((SELECT "hash" FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1), $49) AS hash) head
    )
    UPDATE "InventoryItem" AS i SET "drawn" = i."drawn" + v.q
    FROM unnest($40::text[], $41::float8[]) AS v(id, q)
    WHERE i."id" = v.id AND i."held" = false AND i."drawn" + v.q <= i."received" + $42
    RETURNING i."id"`;
  return { text, values };
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
 * The transformation's write path on raw `pg`: one transaction per transformation. The input items are locked
 * `FOR UPDATE` before anything is decided, so 20 parallel draws on one item decide one after another on what the
 * item really has left; the audit lock is taken last, so a transformation never waits on it while holding
 * anything the scan path's batches need.
 */
export function createPgTransformationStore(databaseUrl: string, max = 8): TransformationStore {
  const pool = poolOf(databaseUrl, max);

  async function transformOn(
    client: pg.PoolClient,
    stallId: number,
    request: TransformationRequest,
    mixProducts: readonly number[],
    decide: (facts: TransformationFacts) => Decision,
  ): Promise<StoreOutcome> {
    const stall = (await client.query<StallRow>({ ...stallQuery, values: [stallId] })).rows[0];
    const facts: TransformationFacts = {
      stall: stall && {
        id: stall.id,
        marketId: stall.marketId,
        regionCode: stall.regionCode,
        issuerId: stall.issuerId,
      },
      items: new Map(),
      products: new Map(),
      issuer: undefined,
      key: undefined,
    };
    if (!stall?.issuerId) {
      const decision = decide(facts);
      if (decision.ok) throw new Error('a transformation was decided without its stall');
      return { kind: 'refused', refusal: decision.refusal };
    }
    // Its own statement before the transaction: it may lock the certificates it names (foreign keys), and those
    // locks must not be held while waiting for the audit lock that the scan path takes before locking them.
    await client.query(materialiseText, [stall.marketId, stall.id, rapidTestHoldReason]);
    const itemIds = request.inputs.map((input) => input.itemId);
    const requestedProducts = request.outputs.flatMap((output) =>
      output.productCode ? [output.productCode] : [],
    );
    const products = (
      await client.query<ProductFacts>({
        ...productsQuery,
        values: [[...requestedProducts, ...mixProducts], itemIds],
      })
    ).rows;
    facts.products = new Map(products.map((product) => [product.code, product]));
    await client.query('BEGIN');
    try {
      const items = (
        await client.query<Parameters<typeof storedItem>[0]>({
          ...itemsQuery,
          values: [itemIds],
        })
      ).rows.map(storedItem);
      facts.items = new Map(items.map((item) => [item.id, item]));
      if (stall.iId !== null) {
        facts.issuer = {
          id: stall.iId,
          name: stall.iName!,
          contact: stall.iContact!,
          active: stall.iActive!,
        };
      }
      if (stall.keyId !== null) facts.key = { keyId: stall.keyId, privateKeySealed: stall.privateKeySealed! };
      const decision = decide(facts);
      if (!decision.ok) {
        await client.query('ROLLBACK');
        return { kind: 'refused', refusal: decision.refusal };
      }
      await client.query('SELECT pg_advisory_xact_lock($1)', [auditLockKey]);
      const taken = new Set(
        (await client.query<{ id: string }>(writeStatement(decision.write))).rows.map((row) => row.id),
      );
      const missed = decision.write.takes.find((take) => !taken.has(take.itemId));
      if (missed) {
        await client.query('ROLLBACK');
        return { kind: 'take_failed', itemId: missed.itemId, quantity: missed.quantity };
      }
      await client.query('COMMIT');
      return { kind: 'stored', write: decision.write };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  return {
    async transform(stallId, request, mixProducts, decide) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await transformOn(client, stallId, request, mixProducts, decide);
      } catch (error) {
        // A connection that failed mid-transaction is not handed to the next request.
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
