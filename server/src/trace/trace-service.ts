import type { CertificateTrace, TraceCertificate, TraceLot, TraceScan } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';
import { rawDate } from '../storage/raw-date.ts';

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

type Direction = 'up' | 'down';

const certificateIdPattern = /^[0-9a-f]{16}$/;
const regionPrefixPattern = /^\d{1,12}$/;

/**
 * The certificates reached from the root in one direction, as a CTE named `name`: `up` through parents to the
 * producers, `down` through children to every repack, each id once at the depth first reached, nearest first. One
 * row more than `maxTraceCertificates`, and depths one past `maxTraceDepth`, show that the graph was cut. The root
 * is written into the statement (SQLite and PostgreSQL mark raw parameters differently), so it must be a
 * certificate id; `alone` stops at the root (an issuer sees its own certificate, not the chain).
 * UNION (not UNION ALL) drops repeated (id, depth) pairs, so a diamond (混装 of two repacks of one parent) is walked
 * once per depth, and the depth bound ends any cycle a corrupted table might hold.
 */
function reachedCte(name: Direction, rootId: string, alone: boolean): string {
  if (alone) return `${name}(id, depth) AS (SELECT CAST('${rootId}' AS TEXT), 0)`;
  const [from, to] = name === 'up' ? ['childId', 'parentId'] : ['parentId', 'childId'];
  return `${name}_walk(id, depth) AS (
       SELECT CAST('${rootId}' AS TEXT), 0
       UNION
       SELECT p."${to}", w.depth + 1 FROM "CertificateParent" p JOIN ${name}_walk w ON p."${from}" = w.id
        WHERE w.depth < ${maxTraceDepth + 1}
     ), ${name}(id, depth) AS (
       SELECT id, MIN(depth) FROM ${name}_walk GROUP BY id ORDER BY MIN(depth), id LIMIT ${maxTraceCertificates + 1}
     )`;
}

/** The repacks a trace shows lots and scans of: the root and what was kept of the walk down. */
function keptDownCte(rootId: string, alone: boolean): string {
  return `WITH RECURSIVE ${reachedCte('down', rootId, alone)}, kept(id) AS (
       SELECT id FROM down WHERE depth <= ${maxTraceDepth} ORDER BY depth, id LIMIT ${maxTraceCertificates}
     )`;
}

interface CertificateRow {
  direction: Direction;
  depth: number | bigint;
  id: string;
  kind: TraceCertificate['kind'];
  issuerId: number | bigint;
  issuerName: string;
  issuerRegion: string;
  productCode: number | bigint;
  productName: string;
  category: TraceCertificate['category'];
  quantity: number;
  unit: TraceCertificate['unit'];
  usedQuantity: number;
  originRegion: string;
  originText: string;
  issuedAt: unknown;
  status: TraceCertificate['status'];
  parentId: string | null;
  parentQuantity: number | null;
}

const certificateColumns = `c.id, c.kind, c."issuerId", c."issuerName", i."regionCode" AS "issuerRegion", c."productCode",
  c."productName", c.category, c.quantity, c.unit, c."usedQuantity", c."originRegion", c."originText", c."issuedAt",
  c.status, p."parentId", p.quantity AS "parentQuantity"`;

/** Both walks and every certificate they reach, with its issuer's region and its parents, in one statement. */
function readCertificates(db: Db, rootId: string, alone: boolean) {
  const from = (direction: Direction) => `SELECT '${direction}' AS direction, r.depth, ${certificateColumns}
     FROM ${direction} r JOIN "Certificate" c ON c.id = r.id JOIN "Issuer" i ON i.id = c."issuerId"
     LEFT JOIN "CertificateParent" p ON p."childId" = c.id`;
  return db.$queryRawUnsafe<CertificateRow[]>(
    `WITH RECURSIVE ${reachedCte('up', rootId, alone)}, ${reachedCte('down', rootId, alone)}
     ${from('up')} UNION ALL ${from('down')}`,
  );
}

/** Depths as the trace gives them (negative going up), each certificate once with all its parents; and whether
 * either walk was cut. */
function arrangeCertificates(rows: CertificateRow[]): { certificates: TraceCertificate[]; cut: boolean } {
  const byId = new Map<string, TraceCertificate>();
  // a certificate with several parents comes once per parent: the first of its rows gives its columns
  const rowOf = new Map<string, CertificateRow>();
  for (const row of rows) if (!rowOf.has(row.id)) rowOf.set(row.id, row);
  let cut = false;
  for (const direction of ['up', 'down'] as const) {
    const reached = new Map<string, number>();
    for (const row of rows) if (row.direction === direction) reached.set(row.id, Number(row.depth));
    const kept = [...reached]
      .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxTraceCertificates);
    cut ||= reached.size > maxTraceCertificates || kept.some(([, depth]) => depth > maxTraceDepth);
    for (const [id, depth] of kept) {
      if (depth > maxTraceDepth || byId.has(id)) continue;
      const row = rowOf.get(id)!;
      byId.set(id, {
        id,
        kind: row.kind,
        depth: direction === 'up' && depth > 0 ? -depth : depth,
        issuerId: Number(row.issuerId),
        issuerName: row.issuerName,
        issuerRegion: row.issuerRegion,
        productCode: Number(row.productCode),
        productName: row.productName,
        category: row.category,
        quantity: row.quantity,
        unit: row.unit,
        usedQuantity: row.usedQuantity,
        originRegion: row.originRegion,
        originText: row.originText,
        issuedAt: rawDate(row.issuedAt).toISOString(),
        status: row.status,
        parents: [],
      });
    }
  }
  for (const row of rows) {
    const certificate = byId.get(row.id);
    if (!certificate || row.parentId === null) continue;
    if (certificate.parents.some((p) => p.certificateId === row.parentId)) continue;
    certificate.parents.push({ certificateId: row.parentId, quantity: Number(row.parentQuantity) });
  }
  const certificates = [...byId.values()].sort(
    (a, b) => a.depth - b.depth || a.issuedAt.localeCompare(b.issuedAt) || a.id.localeCompare(b.id),
  );
  return { certificates, cut };
}

interface LotRow {
  lotId: string;
  certificateId: string | null;
  quantityClaim: number | null;
  marketId: number | bigint;
  marketName: string;
  regionCode: string;
  gateId: number | bigint | null;
  gateName: string | null;
  stallId: number | bigint | null;
  stallNumber: string | null;
  productName: string;
  quantity: number;
  unit: TraceLot['unit'];
  openedAt: unknown;
  status: TraceLot['status'];
  outcome: TraceLot['outcome'];
}

const nullableNumber = (value: number | bigint | null) => (value === null ? null : Number(value));

/** Every lot that carried the root or a repack below it, at markets in scope, with its market, gate and stall. */
async function readLots(db: Db, rootId: string, alone: boolean, prefix: string | null): Promise<TraceLot[]> {
  const rows = await db.$queryRawUnsafe<LotRow[]>(
    `${keptDownCte(rootId, alone)}
     SELECT d."lotId", d."certificateId", d."quantityClaim", l."marketId", m.name AS "marketName", m."regionCode",
       l."gateId", g.name AS "gateName", l."stallId", s.number AS "stallNumber", l."productName", l.quantity, l.unit,
       l."openedAt", l.status, l.outcome
     FROM kept k JOIN "LotDocument" d ON d."certificateId" = k.id JOIN "Lot" l ON l.id = d."lotId"
     JOIN "Market" m ON m.id = l."marketId" LEFT JOIN "Gate" g ON g.id = l."gateId"
     LEFT JOIN "Stall" s ON s.id = l."stallId"
     ${prefix === null ? '' : `WHERE m."regionCode" LIKE '${prefix}%'`}`,
  );
  return rows
    .map((row) => ({
      lotId: row.lotId,
      certificateId: row.certificateId ?? '',
      marketId: Number(row.marketId),
      marketName: row.marketName,
      regionCode: row.regionCode,
      gateId: nullableNumber(row.gateId),
      gateName: row.gateName,
      stallId: nullableNumber(row.stallId),
      stallNumber: row.stallNumber,
      productName: row.productName,
      quantity: row.quantity,
      unit: row.unit,
      quantityClaim: row.quantityClaim,
      openedAt: rawDate(row.openedAt).toISOString(),
      status: row.status,
      outcome: row.outcome,
    }))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.lotId.localeCompare(b.lotId));
}

interface ScanRow {
  scanId: string;
  certificateId: string | null;
  lotId: string | null;
  marketId: number | bigint;
  marketName: string | null;
  stallNumber: string | null;
  gateName: string | null;
  source: string;
  receivedAt: unknown;
  outcome: TraceScan['outcome'];
}

/** Every scan that read the root or a repack below it, at markets in scope, oldest first. */
async function readScans(
  db: Db,
  rootId: string,
  alone: boolean,
  prefix: string | null,
): Promise<TraceScan[]> {
  const rows = await db.$queryRawUnsafe<ScanRow[]>(
    `${keptDownCte(rootId, alone)}
     SELECT sc.id AS "scanId", sc."certificateId", sc."lotId", sc."marketId", m.name AS "marketName",
       st.number AS "stallNumber", g.name AS "gateName", sc.source, sc."receivedAt", sc.outcome
     FROM kept k JOIN "Scan" sc ON sc."certificateId" = k.id LEFT JOIN "Market" m ON m.id = sc."marketId"
     LEFT JOIN "Lot" l ON l.id = sc."lotId" LEFT JOIN "Stall" st ON st.id = l."stallId"
     LEFT JOIN "Gate" g ON g.id = l."gateId"
     ${prefix === null ? '' : `WHERE m."regionCode" LIKE '${prefix}%'`}`,
  );
  return rows
    .map((row) => ({ row, at: rawDate(row.receivedAt) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.row.scanId.localeCompare(b.row.scanId))
    .map(({ row, at }) => ({
      scanId: row.scanId,
      certificateId: row.certificateId ?? '',
      lotId: row.lotId,
      marketId: Number(row.marketId),
      marketName: row.marketName ?? '',
      stallNumber: row.stallNumber,
      gateName: row.gateName,
      source: row.source as TraceScan['source'],
      receivedAt: at.toISOString(),
      outcome: row.outcome,
    }));
}

/**
 * The trace of one certificate: up to its producers (with the quantities taken at each repack), down to every
 * repack under it, and every lot and scan that used it or those repacks, limited to markets in scope. A regional
 * regulator finds a certificate when its issuer is in the region or it was used at a market in the region.
 * Three statements after the root's, each walking the graph in SQL and reading only the columns shown, so a
 * producer with a thousand repacks below it costs three round trips, not one per repack or per relation.
 */
export async function traceCertificate(db: Db, id: string, scope: TraceScope): Promise<TraceResult> {
  const notFound: TraceResult = { ok: false, error: { code: 'NOT_FOUND', message: 'certificate not found' } };
  // Ids are written into the statements: anything but a certificate id (16 hex digits) names no certificate.
  if (!certificateIdPattern.test(id)) return notFound;
  const [root] = await db.$queryRawUnsafe<{ issuerId: number | bigint; regionCode: string }[]>(
    `SELECT c."issuerId", i."regionCode" FROM "Certificate" c JOIN "Issuer" i ON i.id = c."issuerId"
     WHERE c.id = '${id}'`,
  );
  if (!root) return notFound;
  if (scope.kind === 'issuer' && Number(root.issuerId) !== scope.issuerId) return notFound;
  if (scope.kind === 'region' && !regionPrefixPattern.test(scope.prefix)) return notFound;

  const alone = scope.kind === 'issuer';
  const prefix = scope.kind === 'region' ? scope.prefix : null;
  const [certificateRows, lots, scans] = await Promise.all([
    readCertificates(db, id, alone),
    readLots(db, id, alone, prefix),
    readScans(db, id, alone, prefix),
  ]);
  const inRegion = prefix === null || root.regionCode.startsWith(prefix);
  if (!inRegion && lots.length === 0 && scans.length === 0) return notFound;
  const { certificates, cut } = arrangeCertificates(certificateRows);

  return {
    ok: true,
    trace: {
      certificateId: id,
      regionPrefix: prefix,
      certificates,
      lots,
      scans,
      truncated: cut,
    },
  };
}
