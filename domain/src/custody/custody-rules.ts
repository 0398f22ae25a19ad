import type { Category } from '../category/category.ts';

/**
 * Rule data for transformations (docs/custody.md). Kept as data so a market or a province can change it without
 * touching the code that applies it.
 */
export interface CustodyRules {
  version: string;
  /**
   * The largest share of what is taken that a repack may lose to trimming, per category (0.3 = 30 %). Leafy
   * vegetables lose outer leaves and roots; eggs and sealed goods lose nothing.
   */
  maxTrimLoss: Record<Category, number>;
  /**
   * The catalogue product that several products of one category may be mixed into (混装). A category without
   * one cannot be mixed: every output must keep its single source product.
   */
  mixProduct: Partial<Record<Category, number>>;
}

export const defaultCustodyRules: CustodyRules = {
  version: '2026.1',
  maxTrimLoss: {
    vegetable: 0.3,
    fruit: 0.15,
    tea: 0.1,
    livestock_poultry: 0.25,
    egg: 0,
    aquatic: 0.2,
  },
  mixProduct: { vegetable: 1999, fruit: 2999 },
};
