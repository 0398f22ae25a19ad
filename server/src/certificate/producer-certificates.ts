import type { ProducerCertificate, ProducerCertificateScan } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';
import { createCertificateRepository } from './certificate.repository.ts';
import { toCertificate } from './certificate.service.ts';

export interface ProducerCertificatePage {
  issuerId: number;
  limit: number;
  before?: Date;
}

/**
 * The producer's latest certificates with their scans, in three statements whatever the page size: the
 * certificates, every scan of them, and the markets those scans were at. No trace per certificate.
 */
export async function producerCertificates(
  db: Db,
  page: ProducerCertificatePage,
): Promise<ProducerCertificate[]> {
  const rows = await createCertificateRepository(db).list({
    issuerIds: [page.issuerId],
    limit: page.limit,
    before: page.before,
  });
  if (rows.length === 0) return [];
  const scans = await db.scan.findMany({
    where: { certificateId: { in: rows.map((row) => row.id) } },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      certificateId: true,
      marketId: true,
      receivedAt: true,
      outcome: true,
      lot: { select: { gate: { select: { name: true } } } },
    },
  });
  const marketIds = [...new Set(scans.map((scan) => scan.marketId))];
  const markets =
    marketIds.length === 0
      ? []
      : await db.market.findMany({ where: { id: { in: marketIds } }, select: { id: true, name: true } });
  const marketName = new Map(markets.map((market) => [market.id, market.name]));
  const byCertificate = new Map<string, ProducerCertificateScan[]>();
  for (const scan of scans) {
    const seen: ProducerCertificateScan = {
      scanId: scan.id,
      marketId: scan.marketId,
      marketName: marketName.get(scan.marketId) ?? '',
      gateName: scan.lot?.gate?.name ?? null,
      receivedAt: scan.receivedAt.toISOString(),
      outcome: scan.outcome,
    };
    const list = byCertificate.get(scan.certificateId!) ?? [];
    list.push(seen);
    byCertificate.set(scan.certificateId!, list);
  }
  return rows.map((row) => ({ ...toCertificate(row), scans: byCertificate.get(row.id) ?? [] }));
}
