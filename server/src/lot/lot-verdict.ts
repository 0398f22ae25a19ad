import { randomUUID } from 'node:crypto';
import type { VerdictResult } from '@liangzheng/domain';
import type { Tx } from '../storage/db.ts';

export interface VerdictRecord {
  lotId: string;
  marketId: number;
  regionCode: string;
  scanId: string | null;
  verdict: VerdictResult;
  at: Date;
  /** JSON evidence for the violation a reject opens */
  evidence: unknown;
}

/** The verdict's rows for one reason each; `detail` stays a JSON object as the column expects. */
export function reasonRows(verdict: VerdictResult) {
  return verdict.reasons.map((reason) => ({
    code: reason.code,
    documentIndex: reason.documentIndex ?? null,
    detail: reason.detail === undefined ? '{}' : JSON.stringify({ detail: reason.detail }),
  }));
}

/**
 * Every reject opens a violation, with a `created` event carrying its evidence. Returns the violation id.
 * The lot becomes `judged`, or `closed` when it was closed and takes no more scans.
 */
export async function recordVerdict(
  tx: Tx,
  record: VerdictRecord,
  violationId?: string,
  status: 'judged' | 'closed' = 'judged',
): Promise<string | null> {
  const { verdict, at } = record;
  await tx.verdict.create({
    data: {
      id: randomUUID(),
      lotId: record.lotId,
      outcome: verdict.outcome,
      rulesVersion: verdict.rulesVersion,
      source: 'server',
      decidedAt: at,
      reasons: { create: reasonRows(verdict) },
    },
  });
  await tx.lot.update({
    where: { id: record.lotId },
    data: { status, outcome: verdict.outcome, judgedAt: at },
  });
  if (verdict.outcome !== 'reject') return null;
  const id = violationId ?? randomUUID();
  await tx.violation.create({
    data: {
      id,
      lotId: record.lotId,
      scanId: record.scanId,
      marketId: record.marketId,
      regionCode: record.regionCode,
      reason: verdict.primary?.code ?? verdict.reasons[0]?.code ?? 'MISSING',
      status: 'open',
      createdAt: at,
      updatedAt: at,
      events: {
        create: { type: 'created', toStatus: 'open', evidence: JSON.stringify(record.evidence ?? {}), at },
      },
    },
  });
  return id;
}
