import type { CertificateTrace, TraceCertificate, TraceLot, TraceScan } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';

/** A chain deeper or wider than this is cut (and says so); real repack chains are two or three levels. */
export const maxTraceDepth = 16;
export const maxTraceCertificates = 2000;

/**
 * Whose lots and scans a trace may show: every market, or those under a region prefix; or, for an issuer, where
 * its own certificate arrived at any market, but not the chain: its sources and what buyers repacked from it are
 * other issuers' documents.
 */
export type TraceScope =
  | { kind: 'all' }
  | { kind: 'region'; prefix: string }
  | { kind: 'issuer'; issuerId: number };

export type TraceError = { code: 'NOT_FOUND'; message: string };
export type TraceResult = { ok: true; trace: CertificateTrace } | { ok: false; error: TraceError };

const certificateInclude = {
  issuer: { select: { regionCode: true } },
  parents: { select: { parentId: true, quantity: true } },
} as const;

type Direction = 'up' | 'down';

const certificateIdPattern = /^[0-9a-f]{16}$/;

/**
 * Ids per `IN (…)` list: SQLite refuses a statement with more bound parameters than its limit (Prisma's adapter
 * reports P2029), and a recall-sized trace (a producer with over a thousand repacks below it) passes that.
 */
const idsPerQuery = 500;

/** One query per slice of `ids`, results concatenated in slice order. */
async function bySlices<T>(ids: readonly string[], query: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < ids.length; start += idsPerQuery) {
    results.push(...(await query(ids.slice(start, start + idsPerQuery))));
  }
  return results;
}

/**
 * Walks the repack graph in one direction, in one recursive query: `up` through parents to the producers, `down`
 * through children to every repack. Returns each certificate id once, at the depth it was first reached (negative
 * going up). A graph deeper than `maxTraceDepth` or wider than `maxTraceCertificates` is cut, and says so.
 */
async function walk(
  db: Db,
  rootId: string,
  direction: Direction,
): Promise<{ depths: Map<string, number>; cut: boolean }> {
  // Certificate ids are 16 hex digits (CertificateId): anything else names no certificate. Checked here because the
  // id is written into the statement: SQLite and PostgreSQL disagree on how raw parameters are marked.
  if (!certificateIdPattern.test(rootId)) return { depths: new Map(), cut: false };
  const [from, to] = direction === 'up' ? ['childId', 'parentId'] : ['parentId', 'childId'];
  // UNION (not UNION ALL) drops repeated (id, depth) pairs, so a diamond (混装 of two repacks of one parent) is
  // walked once per depth, and the depth bound ends any cycle a corrupted table might hold.
  const rows = await db.$queryRawUnsafe<{ id: string; depth: number | bigint }[]>(
    `WITH RECURSIVE reached(id, depth) AS (
       SELECT CAST('${rootId}' AS TEXT), 0
       UNION
       SELECT p."${to}", r.depth + 1 FROM "CertificateParent" p JOIN reached r ON p."${from}" = r.id
        WHERE r.depth < ${maxTraceDepth + 1}
     )
     SELECT id, MIN(depth) AS depth FROM reached GROUP BY id ORDER BY MIN(depth), id LIMIT ${maxTraceCertificates + 1}`,
  );
  const sign = direction === 'up' ? -1 : 1;
  const depths = new Map<string, number>();
  let cut = rows.length > maxTraceCertificates;
  for (const row of rows.slice(0, maxTraceCertificates)) {
    const depth = Number(row.depth);
    if (depth > maxTraceDepth) {
      cut = true;
      continue;
    }
    depths.set(row.id, depth === 0 ? 0 : sign * depth);
  }
  return { depths, cut };
}

/**
 * The trace of one certificate: up to its producers (with the quantities taken at each repack), down to every
 * repack under it, and every lot and scan that used it or those repacks, limited to markets in scope. A regional
 * regulator finds a certificate when its issuer is in the region or it was used at a market in the region.
 */
export async function traceCertificate(db: Db, id: string, scope: TraceScope): Promise<TraceResult> {
  const notFound: TraceResult = { ok: false, error: { code: 'NOT_FOUND', message: 'certificate not found' } };
  const root = await db.certificate.findUnique({
    where: { id },
    select: { issuerId: true, issuer: { select: { regionCode: true } } },
  });
  if (!root) return notFound;
  if (scope.kind === 'issuer' && root.issuerId !== scope.issuerId) return notFound;

  const alone = { depths: new Map([[id, 0]]), cut: false };
  const [up, down] =
    scope.kind === 'issuer' ? [alone, alone] : await Promise.all([walk(db, id, 'up'), walk(db, id, 'down')]);
  const depths = new Map([...up.depths, ...down.depths]);
  const downIds = [...down.depths.keys()];

  const markets = scope.kind === 'region' ? { market: { regionCode: { startsWith: scope.prefix } } } : {};
  const [rows, documents] = await Promise.all([
    bySlices([...depths.keys()], (slice) =>
      db.certificate.findMany({ where: { id: { in: slice } }, include: certificateInclude }),
    ),
    bySlices(downIds, (slice) =>
      db.lotDocument.findMany({
        where: { certificateId: { in: slice }, lot: markets },
        include: {
          lot: {
            include: {
              market: { select: { name: true, regionCode: true } },
              gate: { select: { name: true } },
              stall: { select: { number: true } },
            },
          },
        },
      }),
    ),
  ]);
  const visibleMarkets =
    scope.kind !== 'region'
      ? undefined
      : (
          await db.market.findMany({
            where: { regionCode: { startsWith: scope.prefix } },
            select: { id: true },
          })
        ).map((m) => m.id);
  const scanRows = (
    await bySlices(downIds, (slice) =>
      db.scan.findMany({
        where: {
          certificateId: { in: slice },
          ...(visibleMarkets ? { marketId: { in: visibleMarkets } } : {}),
        },
        include: {
          lot: { select: { stall: { select: { number: true } }, gate: { select: { name: true } } } },
        },
      }),
    )
  ).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
  const marketNames = new Map(
    (
      await db.market.findMany({
        where: { id: { in: [...new Set(scanRows.map((s) => s.marketId))] } },
        select: { id: true, name: true },
      })
    ).map((m) => [m.id, m.name]),
  );

  const inRegion = scope.kind !== 'region' || root.issuer.regionCode.startsWith(scope.prefix);
  if (!inRegion && documents.length === 0 && scanRows.length === 0) return notFound;

  const certificates: TraceCertificate[] = rows
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      depth: depths.get(row.id) ?? 0,
      issuerId: row.issuerId,
      issuerName: row.issuerName,
      issuerRegion: row.issuer.regionCode,
      productCode: row.productCode,
      productName: row.productName,
      category: row.category,
      quantity: row.quantity,
      unit: row.unit,
      usedQuantity: row.usedQuantity,
      originRegion: row.originRegion,
      originText: row.originText,
      issuedAt: row.issuedAt.toISOString(),
      status: row.status,
      parents: row.parents.map((p) => ({ certificateId: p.parentId, quantity: p.quantity })),
    }))
    .sort((a, b) => a.depth - b.depth || a.issuedAt.localeCompare(b.issuedAt) || a.id.localeCompare(b.id));

  const lots: TraceLot[] = documents
    .map((d) => ({
      lotId: d.lotId,
      certificateId: d.certificateId ?? '',
      marketId: d.lot.marketId,
      marketName: d.lot.market.name,
      regionCode: d.lot.market.regionCode,
      gateId: d.lot.gateId,
      gateName: d.lot.gate?.name ?? null,
      stallId: d.lot.stallId,
      stallNumber: d.lot.stall?.number ?? null,
      productName: d.lot.productName,
      quantity: d.lot.quantity,
      unit: d.lot.unit,
      quantityClaim: d.quantityClaim,
      openedAt: d.lot.openedAt.toISOString(),
      status: d.lot.status,
      outcome: d.lot.outcome,
    }))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.lotId.localeCompare(b.lotId));

  const scans: TraceScan[] = scanRows.map((s) => ({
    scanId: s.id,
    certificateId: s.certificateId ?? '',
    lotId: s.lotId,
    marketId: s.marketId,
    marketName: marketNames.get(s.marketId) ?? '',
    stallNumber: s.lot?.stall?.number ?? null,
    gateName: s.lot?.gate?.name ?? null,
    source: s.source,
    receivedAt: s.receivedAt.toISOString(),
    outcome: s.outcome,
  }));

  return {
    ok: true,
    trace: {
      certificateId: id,
      regionPrefix: scope.kind === 'region' ? scope.prefix : null,
      certificates,
      lots,
      scans,
      truncated: up.cut || down.cut,
    },
  };
}
