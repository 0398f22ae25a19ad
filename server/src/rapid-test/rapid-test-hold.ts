import type { Prisma } from '@liangzheng/prisma';

/** The held reason a positive writes on inventory items, so that releasing lifts only its own holds. */
export const rapidTestHoldReason = '快检阳性，暂停销售';

/**
 * The first tests that keep a lot's goods off sale: positives not released (awaiting their retest, confirmed, or
 * destroyed or returned). Inventory made from the lot later, lazily, starts held while one exists.
 */
export const holdingRapidTests: Prisma.RapidTestWhereInput = {
  retestOfId: null,
  result: 'positive',
  OR: [{ decision: null }, { decision: { not: 'released' } }],
};
