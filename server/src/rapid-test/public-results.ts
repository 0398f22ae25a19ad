import { decisionNames, methodNames, type PublicRapidTest } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';

/** What the public board shows: the last 30 days. */
const publicWindowMs = 30 * 24 * 60 * 60 * 1000;

/**
 * A market's rapid-test results of the last 30 days as posted publicly (亮证公示): first tests newest first, each
 * with its retest's result and the decision. Read by the JSON route and by the market's public board.
 */
export async function publicRapidTests(db: Db, marketId: number, now: Date): Promise<PublicRapidTest[]> {
  const rows = await db.rapidTest.findMany({
    where: {
      retestOfId: null,
      lot: { marketId },
      testedAt: { gte: new Date(now.getTime() - publicWindowMs) },
    },
    orderBy: [{ testedAt: 'desc' }, { id: 'desc' }],
    take: 200,
    include: { lot: { select: { productName: true, stall: { select: { number: true } } } } },
  });
  const retests = await db.rapidTest.findMany({
    where: { retestOfId: { in: rows.map((r) => r.id) } },
    select: { retestOfId: true, result: true },
  });
  return rows.map((row) => {
    const retest = retests.find((r) => r.retestOfId === row.id);
    const decision = row.decision as keyof typeof decisionNames | null;
    return {
      id: row.id,
      productName: row.lot.productName,
      stallNumber: row.lot.stall?.number ?? null,
      method: row.method as keyof typeof methodNames,
      methodName: methodNames[row.method as keyof typeof methodNames] ?? row.method,
      analyte: row.analyte,
      result: row.result as 'negative' | 'positive',
      testedAt: row.testedAt.toISOString(),
      retestResult: (retest?.result as 'negative' | 'positive' | undefined) ?? null,
      decision,
      decisionName: decision ? decisionNames[decision] : null,
    };
  });
}
