import { randomUUID } from 'node:crypto';
import {
  canSeeIssuer,
  type Principal,
  type RecallRequest,
  type RevokedCertificate,
} from '@liangzheng/domain';
import type { AuditLog } from '../audit/audit-log.ts';
import { ApiProblem } from '../http/error-code.ts';
import type { Db, Dialect, Tx } from '../storage/db.ts';
import { descendantsOf, revokeCertificates } from './revocation.ts';

/** One recall names at most this many certificates of a producer; a wider one is split by date. */
export const maxRecallRoots = 5000;

export interface RecallDeps {
  db: Db;
  dialect: Dialect;
  audit: AuditLog;
  now: () => Date;
}

export interface RecallOutcome {
  id: string;
  reason: string;
  at: Date;
  revoked: RevokedCertificate[];
  /** every certificate the recall covers, already void ones included */
  covered: string[];
  heldItems: string[];
  /** where the held goods are, and the regions to tell: the producer's and each market's */
  markets: { marketId: number; regionCode: string }[];
  regions: string[];
}

/** The certificates a recall starts from: one, or a producer's issued in the range. */
async function rootsOf(tx: Tx, request: RecallRequest): Promise<{ ids: string[]; issuerId: number }> {
  if ('certificateId' in request) {
    const row = await tx.certificate.findUnique({
      where: { id: request.certificateId },
      select: { id: true, issuerId: true },
    });
    if (!row) throw new ApiProblem('NOT_FOUND', 'certificate not found');
    return { ids: [row.id], issuerId: row.issuerId };
  }
  const from = new Date(request.issuedFrom);
  const to = new Date(request.issuedTo);
  if (!(from <= to)) throw new ApiProblem('VALIDATION_FAILED', 'issuedFrom must not be after issuedTo');
  const rows = await tx.certificate.findMany({
    where: { issuerId: request.issuerId, kind: 'producer', issuedAt: { gte: from, lte: to } },
    select: { id: true },
    take: maxRecallRoots + 1,
  });
  if (rows.length > maxRecallRoots)
    throw new ApiProblem(
      'VALIDATION_FAILED',
      `more than ${maxRecallRoots} certificates: recall a shorter range`,
    );
  if (rows.length === 0)
    throw new ApiProblem('NOT_FOUND', 'the producer issued no certificate in this range');
  return { ids: rows.map((r) => r.id), issuerId: request.issuerId };
}

/**
 * A recall (docs/custody.md): the certificates named and every descendant at any depth are voided as recalled,
 * every inventory item holding any of them is held (stop-sale), and it is one transaction with one audit row.
 * The caller pushes the revocations and notices after the commit.
 */
export async function recall(
  deps: RecallDeps,
  actor: string,
  request: RecallRequest,
): Promise<RecallOutcome> {
  return deps.db.$transaction((tx) => recallWithin(tx, deps, actor, request), {
    maxWait: 15_000,
    timeout: 60_000,
  });
}

/** The recall inside a transaction the caller holds, for a write that recalls as one of its steps (快检). */
export async function recallWithin(
  tx: Tx,
  deps: Pick<RecallDeps, 'dialect' | 'audit' | 'now'>,
  actor: string,
  request: RecallRequest,
): Promise<RecallOutcome> {
  const at = deps.now();
  const id = randomUUID();
  const roots = await rootsOf(tx, request);
  const covered = [...roots.ids, ...(await descendantsOf(tx, deps.dialect, roots.ids))];
  await tx.recall.create({
    data: {
      id,
      reason: request.reason,
      certificateId: 'certificateId' in request ? request.certificateId : null,
      issuerId: roots.issuerId,
      issuedFrom: 'issuedFrom' in request ? new Date(request.issuedFrom) : null,
      issuedTo: 'issuedTo' in request ? new Date(request.issuedTo) : null,
      actor,
      at,
      revokedCount: 0,
      heldCount: 0,
    },
  });
  const { revoked, heldItems, heldAtMarkets } = await revokeCertificates(tx, deps.dialect, covered, {
    kind: 'recall',
    reason: request.reason,
    at,
    recallId: id,
  });
  await tx.recall.update({
    where: { id },
    data: { revokedCount: revoked.length, heldCount: heldItems.length },
  });
  // the markets named by the held items themselves: asking which markets have one of a thousand items read through
  // every item of each market
  const markets = await tx.market.findMany({
    where: { id: { in: heldAtMarkets } },
    select: { id: true, regionCode: true },
  });
  const issuer = await tx.issuer.findUniqueOrThrow({
    where: { id: roots.issuerId },
    select: { regionCode: true },
  });
  await deps.audit.append(tx, {
    actor,
    action: 'recall',
    entity: 'recall',
    entityId: id,
    data: { request, revoked: revoked.map((r) => r.certificateId), heldItems },
  });
  return {
    id,
    reason: request.reason,
    at,
    revoked,
    covered,
    heldItems,
    markets: markets.map((m) => ({ marketId: m.id, regionCode: m.regionCode })),
    regions: [...new Set([issuer.regionCode, ...markets.map((m) => m.regionCode)])],
  };
}

/** Who may recall a producer's goods: admin, the producer itself, a regulator of the producer's region. */
export async function mayRecall(db: Db, principal: Principal, request: RecallRequest): Promise<boolean> {
  const issuerId =
    'certificateId' in request
      ? (
          await db.certificate.findUnique({
            where: { id: request.certificateId },
            select: { issuerId: true },
          })
        )?.issuerId
      : request.issuerId;
  const issuer =
    issuerId === undefined
      ? null
      : await db.issuer.findUnique({ where: { id: issuerId }, select: { id: true, regionCode: true } });
  return issuer !== null && canSeeIssuer(principal, issuer);
}
