import type { Db } from '../storage/db.ts';

const withParents = { parents: { select: { parentId: true, quantity: true } } } as const;

export interface CertificateQuery {
  /** restrict to these issuers; undefined: all */
  issuerIds?: number[];
  /** restrict to issuers in regions starting with this prefix */
  regionPrefix?: string;
  status?: 'valid' | 'void';
  limit: number;
  /** certificates issued before this id's row, for paging newest first */
  before?: Date;
}

export function createCertificateRepository(db: Db) {
  return {
    find: (id: string) =>
      db.certificate.findUnique({ where: { id }, include: { ...withParents, issuer: true } }),
    list: (q: CertificateQuery) =>
      db.certificate.findMany({
        where: {
          ...(q.issuerIds ? { issuerId: { in: q.issuerIds } } : {}),
          ...(q.regionPrefix ? { issuer: { regionCode: { startsWith: q.regionPrefix } } } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.before ? { issuedAt: { lt: q.before } } : {}),
        },
        orderBy: [{ issuedAt: 'desc' }, { id: 'asc' }],
        take: q.limit,
        include: withParents,
      }),
    /** the repacker issuer a vendor signs as, through their stall's vendor file */
    async vendorIssuerId(stallId: number): Promise<number | null> {
      const stall = await db.stall.findUnique({ where: { id: stallId }, include: { vendor: true } });
      return stall?.vendor?.issuerId ?? null;
    },
  };
}
export type CertificateRepository = ReturnType<typeof createCertificateRepository>;
