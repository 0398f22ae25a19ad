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

/** Items in one order for every writer: two writes sharing items queue on them instead of deadlocking. */
const byItemId = (a: { itemId: string }, b: { itemId: string }) =>
  a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0;

/**
 * Everything a batch of transformations writes, as one autocommitted statement of data-modifying CTEs over
 * parameter arrays, one array per column, each transformation's rows beside the others' (foreign keys are checked at
 * the end of the statement, so rows may reference rows inserted beside them). The takes come first, summed per
 * item, each conditional on what its item has left and on the item not being held; if one did not fit,
 * "lz_refuse" aborts the statement and nothing of it stays. Otherwise "lz_audit_append_all" chains the audit rows,
 * in the batch's order, under the audit lock, which is then held only until this statement commits, never across a
 * round trip. Named, so that each connection parses and plans it once.
 */
function writeStatement(writes: readonly TransformationWrite[]): pg.QueryConfig {
  const ts = writes.map((w) => w.transformation);
  const certificates = writes.flatMap((w) =>
    w.certificates.map((certificate) => ({ ...certificate, transformationId: w.transformation.id })),
  );
  const parents = certificates.flatMap((certificate) =>
    certificate.parents.map((parent) => ({ childId: certificate.id, ...parent })),
  );
  const draws = writes.flatMap((w) => w.draws.map((d) => ({ ...d, transformationId: w.transformation.id })));
  const kept = writes.flatMap((w) =>
    w.kept.map((k) => ({
      ...k,
      marketId: w.transformation.marketId,
      stallId: w.transformation.stallId,
      transformationId: w.transformation.id,
      at: utc(w.transformation.at),
    })),
  );
  const unverified = writes.flatMap((w) =>
    w.unverifiedSources.map((u) => ({ ...u, transformationId: w.transformation.id })),
  );
  const trust = writes.flatMap((w) => w.trustChanges.map((x) => ({ ...x, at: utc(w.transformation.at) })));
  const takes = writes.flatMap((w) => w.takes).sort(byItemId);
  const audits = writes.map((w) => ({
    at: w.transformation.at,
    ...w.audit,
    data: canonicalJson(w.audit.data),
  }));
  const values: unknown[] = [
    // $1–$11: the transformations
    ts.map((t) => t.id),
    ts.map((t) => t.kind),
    ts.map((t) => t.marketId),
    ts.map((t) => t.stallId),
    ts.map((t) => t.issuerId),
    ts.map((t) => t.actor),
    ts.map((t) => t.unit),
    ts.map((t) => t.taken),
    ts.map((t) => t.made),
    ts.map((t) => t.loss),
    ts.map((t) => utc(t.at)),
    // $12–$30: their certificates
    certificates.map((x) => x.id),
    certificates.map((x) => x.keyId),
    certificates.map((x) => x.code),
    certificates.map((x) => x.productCode),
    certificates.map((x) => x.productName),
    certificates.map((x) => x.category),
    certificates.map((x) => x.quantity),
    certificates.map((x) => x.unit),
    certificates.map((x) => x.originRegion),
    certificates.map((x) => x.originText),
    certificates.map((x) => x.issuerName),
    certificates.map((x) => x.contact),
    certificates.map((x) => x.basis),
    certificates.map((x) => x.commitmentVersion),
    certificates.map((x) => utc(x.issuedAt)),
    certificates.map((x) => x.kind),
    certificates.map((x) => x.unverifiedSources),
    certificates.map((x) => x.issuerId),
    certificates.map((x) => x.transformationId),
    // $31–$33: their parents
    parents.map((p) => p.childId),
    parents.map((p) => p.certificateId),
    parents.map((p) => p.quantity),
    // $34–$39: the draws
    draws.map((d) => d.id),
    draws.map((d) => d.inventoryItemId),
    draws.map((d) => d.sourceCertificateId),
    draws.map((d) => d.outputCertificateId),
    draws.map((d) => d.quantity),
    draws.map((d) => d.transformationId),
    // $40–$47: the kept outputs
    kept.map((k) => k.id),
    kept.map((k) => k.certificateId),
    kept.map((k) => k.received),
    kept.map((k) => k.unit),
    kept.map((k) => k.marketId),
    kept.map((k) => k.stallId),
    kept.map((k) => k.transformationId),
    kept.map((k) => k.at),
    // $48–$50: the takes
    takes.map((x) => x.itemId),
    takes.map((x) => x.quantity),
    ledgerTolerance,
    // $51–$57: the audit rows, which "lz_audit_append_all" chains onto the newest head in this order
    audits.map((a) => utc(a.at)),
    audits.map((a) => a.actor),
    audits.map((a) => a.action),
    audits.map((a) => a.entity),
    audits.map((a) => a.entityId),
    audits.map((a) => a.data),
    audits.map((a) => canonicalRow(a)),
    // $58–$66: the declared unverified sources
    unverified.map((x) => x.id),
    unverified.map((x) => x.kind),
    unverified.map((x) => x.description),
    unverified.map((x) => x.quantity),
    unverified.map((x) => x.unit),
    unverified.map((x) => x.code),
    unverified.map((x) => x.photo),
    unverified.map((x) => x.photoType),
    unverified.map((x) => x.transformationId),
    // $67–$69: trust changes
    trust.map((x) => x.kind),
    trust.map((x) => x.ref),
    trust.map((x) => x.at),
  ];
  const text = `WITH takes AS (
      UPDATE "InventoryItem" AS i SET "drawn" = i."drawn" + v.q
      FROM (
        SELECT u.id, sum(u.q) AS q FROM unnest($48::text[], $49::float8[]) AS u(id, q) GROUP BY u.id ORDER BY u.id
      ) AS v
      WHERE i."id" = v.id AND i."held" = false AND i."drawn" + v.q <= i."received" + $50
      RETURNING i."id"
    ), transformations AS (
      INSERT INTO "Transformation" ("id","kind","marketId","stallId","issuerId","actor","unit","taken","made","loss","at")
      SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[],
        $8::float8[], $9::float8[], $10::float8[], $11::timestamp[])
    ), certificates AS (
      INSERT INTO "Certificate" ("id","keyId","code","productCode","productName","category","quantity","unit",
        "originRegion","originText","issuerName","contact","basis","commitmentVersion","issuedAt","kind",
        "unverifiedSources","issuerId","transformationId","status","usedQuantity","lookupCount","createdAt")
      SELECT v.*, 'valid', 0, 0, now() AT TIME ZONE 'UTC'
      FROM unnest($12::text[], $13::text[], $14::text[], $15::int[], $16::text[], $17::text[], $18::float8[],
        $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::timestamp[],
        $27::text[], $28::bool[], $29::int[], $30::text[]) AS v
    ), parents AS (
      INSERT INTO "CertificateParent" ("childId","parentId","quantity")
      SELECT * FROM unnest($31::text[], $32::text[], $33::float8[])
    ), draws AS (
      INSERT INTO "TransformationDraw" ("id","inventoryItemId","sourceCertificateId","outputCertificateId","quantity",
        "transformationId")
      SELECT * FROM unnest($34::text[], $35::text[], $36::text[], $37::text[], $38::float8[], $39::text[])
    ), kept AS (
      INSERT INTO "InventoryItem" ("id","certificateId","received","unit","marketId","stallId","transformationId",
        "receivedAt","drawn","held","createdAt")
      SELECT v.*, 0, false, now() AT TIME ZONE 'UTC'
      FROM unnest($40::text[], $41::text[], $42::float8[], $43::text[], $44::int[], $45::int[], $46::text[],
        $47::timestamp[]) AS v
    ), unverified AS (
      INSERT INTO "UnverifiedSource" ("id","kind","description","quantity","unit","code","photo","photoType",
        "transformationId")
      SELECT * FROM unnest($58::text[], $59::text[], $60::text[], $61::float8[], $62::text[], $63::text[],
        $64::bytea[], $65::text[], $66::text[])
    ), trust AS (
      INSERT INTO "TrustChange" ("kind","ref","at")
      SELECT * FROM unnest($67::text[], $68::text[], $69::timestamp[])
    )
    SELECT CASE WHEN missed.id IS NULL
        THEN "lz_audit_append_all"($51::timestamp[], $52::text[], $53::text[], $54::text[], $55::text[],
          $56::text[], $57::text[])
        ELSE "lz_refuse"('take_failed', missed.id)
      END
    FROM (
      SELECT (SELECT min(x) FROM unnest($48::text[]) AS x WHERE x NOT IN (SELECT "id" FROM takes)) AS id
    ) missed`;
  return { name: 'transformation-write', text, values };
}

/** A batch's outcome for one of its writes: stored, or a take that no longer fitted (nothing of it written). */
type Written = Extract<StoreOutcome, { kind: 'stored' | 'take_failed' }>;

/** What a refused take says: the item it named (the error's detail) and what this write meant to take from it. */
function takeFailed(error: pg.DatabaseError, write: TransformationWrite): Written {
  const itemId = error.detail ?? '';
  const take = write.takes.find((t) => t.itemId === itemId);
  return { kind: 'take_failed', itemId, quantity: take?.quantity ?? 0 };
}

const refusedTake = (error: unknown): error is pg.DatabaseError =>
  error instanceof pg.DatabaseError && error.code === refusedState;

/** At most this many transformations in one statement: its parameter arrays stay small. */
const maxBatch = 32;

/**
 * Group commit: one write statement at a time, and the transformations decided while it ran go together in the
 * next. They would wait for each other anyway (the audit lock serialises every audited commit), so a batch costs
 * one round trip, one audit lock and one WAL flush for all of them. A batch fails as a whole (a take that no longer
 * fitted, a deadlock, any database error): then each of its writes runs alone, so one write's refusal or fault is
 * that write's alone and the others are stored as if alone.
 */
function createWriteQueue(pool: pg.Pool) {
  interface Pending {
    write: TransformationWrite;
    settle(written: Written): void;
    fail(error: unknown): void;
  }
  const queue: Pending[] = [];
  let draining = false;

  async function alone(client: pg.PoolClient, pending: Pending): Promise<void> {
    try {
      await client.query(writeStatement([pending.write]));
      pending.settle({ kind: 'stored', write: pending.write });
    } catch (error) {
      if (refusedTake(error)) pending.settle(takeFailed(error, pending.write));
      else if (error instanceof pg.DatabaseError) pending.fail(error);
      else throw error;
    }
  }

  async function commit(batch: Pending[]): Promise<void> {
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await pool.connect();
      if (batch.length === 1) return await alone(client, batch[0]!);
      try {
        await client.query(writeStatement(batch.map((pending) => pending.write)));
        for (const pending of batch) pending.settle({ kind: 'stored', write: pending.write });
        return;
      } catch (error) {
        if (!(error instanceof pg.DatabaseError)) throw error;
      }
      for (const pending of batch) await alone(client, pending);
    } catch (error) {
      // A connection that failed mid-statement is not handed to the next batch; what was not settled fails with it
      // (settling a promise twice changes nothing).
      broken = error instanceof Error ? error : new Error(String(error));
      for (const pending of batch) pending.fail(broken);
    } finally {
      client?.release(broken);
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) await commit(queue.splice(0, maxBatch));
    } finally {
      draining = false;
    }
  }

  return {
    write(write: TransformationWrite): Promise<Written> {
      return new Promise<Written>((settle, fail) => {
        queue.push({ write, settle, fail });
        if (!draining) void drain();
      });
    },
  };
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
 * The transformation's write path on raw `pg`: one statement reads the facts, the pure decision signs the outputs,
 * and the write joins the next group commit (see `createWriteQueue` and `writeStatement`). 20 parallel draws on one
 * item are summed in one statement, or queue on the item's row across statements, and each checks again what is
 * left, so they never exceed it; the audit lock is held only while PostgreSQL finishes and commits a statement, so
 * transformations do not queue behind each other's round trips, and never hold it while waiting for anything the
 * scan path's batches hold.
 */
export function createPgTransformationStore(databaseUrl: string, max = 8): TransformationStore {
  const pool = poolOf(databaseUrl, max);
  const writes = createWriteQueue(pool);

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

  /** The facts as they are now, on a connection of the pool given back before the write queues. */
  async function decideNow(
    stallId: number,
    request: TransformationRequest,
    mixProducts: readonly number[],
    decide: (facts: TransformationFacts) => Decision,
  ): Promise<Decision> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      let facts = await readFacts(client, stallId, request, mixProducts);
      const stall = facts.stall;
      if (stall?.issuerId != null && request.inputs.some((input) => !facts.items.has(input.itemId))) {
        // An input not yet in the inventory may come from a lot accepted since the stall's inventory was last
        // read: the stall's accepted lots become items first (a statement of its own), then the facts again.
        await client.query(materialiseText, [stall.marketId, stall.id, rapidTestHoldReason]);
        facts = await readFacts(client, stallId, request, mixProducts);
      }
      return decide(facts);
    } catch (error) {
      // A connection that failed mid-statement is not handed to the next request.
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    async transform(stallId, request, mixProducts, decide) {
      // Optimistic: whatever moved between the read and the write (an item drawn or held meanwhile, a deadlock
      // that rolled the statement back) is decided again on fresh facts, so the refusal names what is there now.
      for (let attempt = 1; ; attempt++) {
        const decision = await decideNow(stallId, request, mixProducts, decide);
        if (!decision.ok) return { kind: 'refused', refusal: decision.refusal };
        try {
          const written = await writes.write(decision.write);
          if (written.kind === 'stored' || attempt === attempts) return written;
        } catch (error) {
          const deadlocked = error instanceof pg.DatabaseError && error.code === deadlockState;
          if (!deadlocked || attempt === attempts) throw error;
        }
      }
    },
    async close() {
      await pool.end();
    },
  };
}
