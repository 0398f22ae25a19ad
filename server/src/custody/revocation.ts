import type { RevokedCertificate } from '@liangzheng/domain';
import { sqliteTime } from '../scan/scan-store.sqlite.ts';
import type { Dialect, Tx } from '../storage/db.ts';
import { returnToItem } from './inventory.ts';

/** How deep a cascade follows repacks of repacks; real chains are two or three levels. */
const maxCascadeDepth = 32;

/** Why a certificate was voided: by its own issuer, because a source above it was, or by a recall. */
export type VoidKind = 'issuer' | 'cascade' | 'recall';

/**
 * Every certificate made, at any depth, from `roots` (roots excluded), nearest first: one recursive statement
 * down CertificateParent, where a level-by-level walk took a round trip per level. `roots` stays within the
 * bound-parameter limits (a recall names at most 5,000; they are bound twice).
 */
export async function descendantsOf(tx: Tx, dialect: Dialect, roots: readonly string[]): Promise<string[]> {
  if (roots.length === 0) return [];
  const sql = statementsFor(dialect);
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `WITH RECURSIVE "down" ("id", "depth") AS (
       SELECT "childId", 1 FROM "CertificateParent" WHERE "parentId" IN (${sql.list(1, roots.length)})
       UNION
       SELECT p."childId", d."depth" + 1 FROM "CertificateParent" p JOIN "down" d ON p."parentId" = d."id"
        WHERE d."depth" < ${maxCascadeDepth}
     )
     SELECT "id" FROM "down" WHERE "id" NOT IN (${sql.list(roots.length + 1, roots.length)})
     GROUP BY "id" ORDER BY MIN("depth"), "id"`,
    ...roots,
    ...roots,
  );
  return rows.map((row) => row.id);
}

/**
 * Voids each certificate still valid, records its revocation for the trust snapshot, and holds (stop-sale) every
 * inventory item under any of `ids`, valid or already void. Returns the certificates voided now.
 *
 * A producer's recall reaches a thousand certificates and more, so this is raw, set-wise SQL: a few statements per
 * thousand ids whatever the count (Prisma's createManyAndReturn of the trust changes alone took most of a recall).
 */
export async function revokeCertificates(
  tx: Tx,
  dialect: Dialect,
  ids: readonly string[],
  how: { kind: VoidKind; reason: string; at: Date; recallId?: string },
): Promise<{ revoked: RevokedCertificate[]; heldItems: string[]; heldAtMarkets: number[] }> {
  const sql = statementsFor(dialect);
  const at = sql.timeValue(how.at);
  const voidedNow = new Set<string>();
  for (const chunk of chunked(ids)) {
    const voided = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "Certificate" SET "status" = 'void', "voidReason" = ${sql.param(1)}, "voidedAt" = ${sql.timeParam(2)},
         "voidKind" = ${sql.param(3)}, "recallId" = ${sql.param(4)}
       WHERE "status" = 'valid' AND "id" IN (${sql.list(5, chunk.length)}) RETURNING "id"`,
      how.reason,
      at,
      how.kind,
      how.recallId ?? null,
      ...chunk,
    );
    for (const { id } of voided) voidedNow.add(id);
    if (how.recallId)
      await tx.$executeRawUnsafe(
        `UPDATE "Certificate" SET "recallId" = ${sql.param(1)}
         WHERE "recallId" IS NULL AND "id" IN (${sql.list(2, chunk.length)})`,
        how.recallId,
        ...chunk,
      );
  }
  // in the order named, so trust versions follow the cascade from the roots down
  const revoked: RevokedCertificate[] = [];
  for (const chunk of chunked(ids.filter((id) => voidedNow.has(id)))) {
    const changes = await tx.$queryRawUnsafe<{ version: number | bigint; ref: string }[]>(
      `INSERT INTO "TrustChange" ("kind", "ref", "at") VALUES ${chunk
        .map((_, i) => `('revocation', ${sql.param(2 * i + 1)}, ${sql.timeParam(2 * i + 2)})`)
        .join(', ')} RETURNING "version", "ref"`,
      ...chunk.flatMap((ref) => [ref, at]),
    );
    for (const change of changes)
      revoked.push({ certificateId: change.ref, reason: how.reason, trustVersion: Number(change.version) });
  }
  revoked.sort((a, b) => a.trustVersion - b.trustVersion);
  const held = await holdItemsUnder(
    tx,
    sql,
    ids,
    how.kind === 'recall' ? `召回：${how.reason}` : '合格证已作废',
  );
  return {
    revoked,
    heldItems: held.map((item) => item.id),
    heldAtMarkets: [...new Set(held.map((item) => Number(item.marketId)))],
  };
}

async function holdItemsUnder(
  tx: Tx,
  sql: Statements,
  certificateIds: readonly string[],
  reason: string,
): Promise<{ id: string; marketId: number | bigint }[]> {
  const held: { id: string; marketId: number | bigint }[] = [];
  for (const chunk of chunked(certificateIds)) {
    const rows = await tx.$queryRawUnsafe<{ id: string; marketId: number | bigint }[]>(
      `UPDATE "InventoryItem" SET "held" = TRUE, "heldReason" = ${sql.param(1)}
       WHERE "held" = FALSE AND "certificateId" IN (${sql.list(2, chunk.length)}) RETURNING "id", "marketId"`,
      reason,
      ...chunk,
    );
    held.push(...rows);
  }
  return held;
}

/** Well under SQLite's and PostgreSQL's limits on bound parameters (32,766 and 65,535) per statement. */
const idsPerStatement = 1000;

function chunked(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += idsPerStatement) chunks.push(ids.slice(i, i + idsPerStatement));
  return chunks;
}

/** Placeholders and DateTime values as each database's raw SQL takes them, matching what Prisma writes. */
interface Statements {
  /** the n-th (1-based) bound parameter */
  param(n: number): string;
  /** the n-th parameter, bound to a `timeValue` for a DateTime column */
  timeParam(n: number): string;
  timeValue(date: Date): string;
  /** `count` parameters from the n-th on, comma separated */
  list(from: number, count: number): string;
}

function statementsFor(dialect: Dialect): Statements {
  // SQLite binds `?` in order of appearance, so every statement here names its parameters in order
  const param = dialect === 'sqlite' ? () => '?' : (n: number) => `$${n}`;
  const list = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => param(from + i)).join(', ');
  if (dialect === 'sqlite') return { param, list, timeParam: param, timeValue: sqliteTime };
  return {
    param,
    list,
    // Prisma keeps UTC wall time in TIMESTAMP(3): the ISO text cast to timestamp drops its Z likewise
    timeParam: (n) => `${param(n)}::timestamp(3)`,
    timeValue: (date) => date.toISOString(),
  };
}

/**
 * A voided transformation output gives its draws back to the items they came from. Returns what went back, per
 * item, in each item's unit.
 */
export async function returnDraws(
  tx: Tx,
  outputCertificateId: string,
  at: Date,
): Promise<{ itemId: string; quantity: number }[]> {
  const draws = await tx.transformationDraw.findMany({
    where: { outputCertificateId, returnedAt: null },
    select: { id: true, inventoryItemId: true, quantity: true },
  });
  for (const draw of draws) {
    await returnToItem(tx, draw.inventoryItemId, draw.quantity);
    await tx.transformationDraw.update({ where: { id: draw.id }, data: { returnedAt: at } });
  }
  return draws.map((d) => ({ itemId: d.inventoryItemId, quantity: d.quantity }));
}
