import type { CreditGrade, SamplingCandidate } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';

/** A day of arrivals is what the gate can still sample. */
const arrivalsWindowMs = 24 * 60 * 60 * 1000;
/** The producer history weighed: a year of first tests. */
const historyWindowMs = 365 * 24 * 60 * 60 * 1000;

export interface LotCandidate extends SamplingCandidate {
  productName: string;
  issuerName: string | null;
}

type IssuerRef = { id: number; name: string; creditGrade: string };

/** The producer behind each lot: the issuer of the first certificate it came in on. */
async function issuersOfLots(db: Db, lotIds: string[]): Promise<Map<string, IssuerRef>> {
  const documents = await db.lotDocument.findMany({
    where: { lotId: { in: lotIds }, certificateId: { not: null } },
    select: { lotId: true, certificateId: true },
    orderBy: { createdAt: 'asc' },
  });
  const certificates = await db.certificate.findMany({
    where: { id: { in: [...new Set(documents.map((d) => d.certificateId!))] } },
    select: { id: true, issuer: { select: { id: true, name: true, creditGrade: true } } },
  });
  const issuerOf = new Map(certificates.map((c) => [c.id, c.issuer]));
  const byLot = new Map<string, IssuerRef>();
  for (const d of documents) {
    const issuer = issuerOf.get(d.certificateId!);
    if (issuer && !byLot.has(d.lotId)) byLot.set(d.lotId, issuer);
  }
  return byLot;
}

/**
 * The market's arrivals of the last day not yet sampled, each with its producer's grade and a year of that
 * producer's first tests, for `suggestSamples`.
 */
export async function samplingCandidates(db: Db, marketId: number, now: Date): Promise<LotCandidate[]> {
  const lots = await db.lot.findMany({
    where: {
      marketId,
      openedAt: { gte: new Date(now.getTime() - arrivalsWindowMs), lte: now },
      rapidTests: { none: {} },
    },
    select: { id: true, productName: true },
    orderBy: { openedAt: 'desc' },
    take: 2000,
  });
  const issuers = await issuersOfLots(
    db,
    lots.map((l) => l.id),
  );
  const pastTests = await db.rapidTest.findMany({
    where: { retestOfId: null, testedAt: { gte: new Date(now.getTime() - historyWindowMs) } },
    select: { lotId: true, result: true, testedAt: true },
  });
  const testedIssuers = await issuersOfLots(db, [...new Set(pastTests.map((t) => t.lotId))]);
  const history = new Map<number, { tests: number; positives: number; lastPositiveAt: Date | null }>();
  for (const test of pastTests) {
    const issuer = testedIssuers.get(test.lotId);
    if (!issuer) continue;
    const h = history.get(issuer.id) ?? { tests: 0, positives: 0, lastPositiveAt: null };
    h.tests++;
    if (test.result === 'positive') {
      h.positives++;
      if (!h.lastPositiveAt || test.testedAt > h.lastPositiveAt) h.lastPositiveAt = test.testedAt;
    }
    history.set(issuer.id, h);
  }
  return lots.map((lot) => {
    const issuer = issuers.get(lot.id);
    const h = issuer ? history.get(issuer.id) : undefined;
    return {
      lotId: lot.id,
      productName: lot.productName,
      issuerName: issuer?.name ?? null,
      creditGrade: (issuer?.creditGrade as CreditGrade | undefined) ?? null,
      tests: h?.tests ?? 0,
      positives: h?.positives ?? 0,
      lastPositiveAt: h?.lastPositiveAt ?? null,
    };
  });
}
