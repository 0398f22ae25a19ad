import type { CreditRecord, ViolationOutcome } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';
import { rawDate } from '../storage/raw-date.ts';

/**
 * Reads producers' records for the credit grade (docs/credit.md). A violation, rapid test or recall belongs to the
 * issuers of the certificates its lot carried (or its scan read), so a repacker answers for its own 样式二.
 * Issuers are read in slices under SQLite's parameter limit.
 */

const sliceSize = 500;
const dayMs = 24 * 60 * 60 * 1000;

const outcomeOf = (status: string): ViolationOutcome => {
  if (status === 'confirmed' || status === 'rectified' || status === 'dismissed') return status;
  return 'pending';
};

function emptyRecords(issuerIds: readonly number[]): Map<number, CreditRecord & Mutable> {
  return new Map(issuerIds.map((id) => [id, { violations: [], rapidTests: [], recalls: [], issuedAt: [] }]));
}
type Mutable = {
  violations: CreditRecord['violations'][number][];
  rapidTests: CreditRecord['rapidTests'][number][];
  recalls: CreditRecord['recalls'][number][];
  issuedAt: Date[];
};

async function readSlice(db: Db, ids: number[], since: Date, records: Map<number, Mutable>) {
  // Written into the statement (SQLite and PostgreSQL mark raw parameters differently): integers only.
  const list = ids.filter(Number.isInteger).join(',') || '0';
  const violations = await db.$queryRawUnsafe<
    { issuerId: number; reason: string; status: string; at: unknown }[]
  >(`
    SELECT DISTINCT c."issuerId" AS "issuerId", v.id AS id, v.reason AS reason, v.status AS status, v."createdAt" AS at
    FROM "Violation" v
    JOIN "LotDocument" d ON d."lotId" = v."lotId"
    JOIN "Certificate" c ON c.id = d."certificateId"
    WHERE c."issuerId" IN (${list})
    UNION
    SELECT c."issuerId" AS "issuerId", v.id AS id, v.reason AS reason, v.status AS status, v."createdAt" AS at
    FROM "Violation" v
    JOIN "Scan" s ON s.id = v."scanId"
    JOIN "Certificate" c ON c.id = s."certificateId"
    WHERE c."issuerId" IN (${list})`);
  for (const v of violations) {
    records.get(Number(v.issuerId))?.violations.push({
      reason: v.reason,
      outcome: outcomeOf(v.status),
      at: rawDate(v.at),
    });
  }
  const tests = await db.$queryRawUnsafe<
    { issuerId: number; result: string; violationId: string | null; at: unknown }[]
  >(`
    SELECT DISTINCT c."issuerId" AS "issuerId", r.id AS id, r.result AS result, r."violationId" AS "violationId",
      r."testedAt" AS at
    FROM "RapidTest" r
    JOIN "LotDocument" d ON d."lotId" = r."lotId"
    JOIN "Certificate" c ON c.id = d."certificateId"
    WHERE r."retestOfId" IS NULL AND c."issuerId" IN (${list})`);
  for (const t of tests) {
    records.get(Number(t.issuerId))?.rapidTests.push({
      result: t.result === 'positive' ? 'positive' : 'negative',
      // A positive is confirmed when the lab retest (or the lapsed window) confirmed it and opened its violation.
      confirmed: t.result === 'positive' && t.violationId !== null,
      at: rawDate(t.at),
    });
  }
  const recalls = await db.$queryRawUnsafe<{ issuerId: number; at: unknown }[]>(`
    SELECT COALESCE(r."issuerId", c."issuerId") AS "issuerId", r.at AS at
    FROM "Recall" r
    LEFT JOIN "Certificate" c ON c.id = r."certificateId"
    WHERE COALESCE(r."issuerId", c."issuerId") IN (${list})`);
  for (const r of recalls) records.get(Number(r.issuerId))?.recalls.push({ at: rawDate(r.at) });
  const issued = await db.certificate.findMany({
    where: { issuerId: { in: ids }, issuedAt: { gte: since } },
    select: { issuerId: true, issuedAt: true },
  });
  for (const c of issued) records.get(c.issuerId)?.issuedAt.push(c.issuedAt);
}

export async function readCreditRecords(
  db: Db,
  issuerIds: readonly number[],
  now: Date,
): Promise<Map<number, CreditRecord>> {
  const records = emptyRecords(issuerIds);
  // Regularity reads six 30-day windows back; older issuing does not count.
  const since = new Date(now.getTime() - 180 * dayMs);
  for (let i = 0; i < issuerIds.length; i += sliceSize) {
    await readSlice(db, issuerIds.slice(i, i + sliceSize), since, records);
  }
  return records;
}

/** Whose record a batch of lots and scans touches: the issuers of every certificate they carried or read. */
export async function issuersOfLots(
  db: Db,
  lotIds: readonly string[],
  scanIds: readonly string[],
): Promise<{ byLot: Map<string, number[]>; byScan: Map<string, number[]> }> {
  const lotCertificates: { lotId: string; certificateId: string | null }[] = [];
  const scanCertificates: { id: string; certificateId: string | null }[] = [];
  const lots = [...new Set(lotIds)];
  const scans = [...new Set(scanIds)];
  for (let i = 0; i < lots.length; i += sliceSize) {
    lotCertificates.push(
      ...(await db.lotDocument.findMany({
        where: { lotId: { in: lots.slice(i, i + sliceSize) }, certificateId: { not: null } },
        select: { lotId: true, certificateId: true },
      })),
    );
  }
  for (let i = 0; i < scans.length; i += sliceSize) {
    scanCertificates.push(
      ...(await db.scan.findMany({
        where: { id: { in: scans.slice(i, i + sliceSize) }, certificateId: { not: null } },
        select: { id: true, certificateId: true },
      })),
    );
  }
  const certificateIds = [
    ...new Set([...lotCertificates, ...scanCertificates].flatMap((row) => row.certificateId ?? [])),
  ];
  const issuerOf = new Map<string, number>();
  for (let i = 0; i < certificateIds.length; i += sliceSize) {
    const certificates = await db.certificate.findMany({
      where: { id: { in: certificateIds.slice(i, i + sliceSize) } },
      select: { id: true, issuerId: true },
    });
    for (const c of certificates) issuerOf.set(c.id, c.issuerId);
  }
  const group = (rows: { key: string; certificateId: string | null }[]) => {
    const grouped = new Map<string, number[]>();
    for (const row of rows) {
      const issuer = row.certificateId === null ? undefined : issuerOf.get(row.certificateId);
      if (issuer === undefined) continue;
      const list = grouped.get(row.key) ?? [];
      if (!list.includes(issuer)) list.push(issuer);
      grouped.set(row.key, list);
    }
    return grouped;
  };
  return {
    byLot: group(lotCertificates.map((row) => ({ key: row.lotId, certificateId: row.certificateId }))),
    byScan: group(scanCertificates.map((row) => ({ key: row.id, certificateId: row.certificateId }))),
  };
}
