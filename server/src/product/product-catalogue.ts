import {
  type Category,
  defaultCatalogue,
  Product,
  type ProductCreate,
  type RuleSet,
} from '@liangzheng/domain';
import type { Db, Tx } from '../storage/db.ts';

export type ProductRow = { code: number; name: string; category: string; unit: string; active: boolean };

/** The API's view of a row: `id` for the registry's item routes, and what the rule set asks of its category. */
export function productView(row: ProductRow, rules: RuleSet): Product {
  return Product.parse({
    ...row,
    requiredDocuments: rules.categoryDefaults[row.category as Category]?.requiredDocuments ?? [],
  });
}

/**
 * A catalogue write is a trust change: agents judge product codes from their snapshot, so each one bumps its
 * version (kind `product`) inside the writing transaction.
 */
export async function recordProductChange(tx: Tx, ref: string, at: Date): Promise<number> {
  return (await tx.trustChange.create({ data: { kind: 'product', ref, at } })).version;
}

/**
 * On a database whose catalogue is empty (a fresh install, with or without demo data), writes the default
 * catalogue, so certificates can be issued before anyone edits it. Returns how many products it wrote.
 */
export async function ensureDefaultCatalogue(db: Db, at: Date): Promise<number> {
  if ((await db.product.count()) > 0) return 0;
  await db.$transaction(async (tx) => {
    await tx.product.createMany({ data: defaultCatalogue.map(productData) });
    await recordProductChange(tx, 'default-catalogue', at);
  });
  return defaultCatalogue.length;
}

export const productData = ({ code, name, category, unit }: ProductCreate) => ({
  code,
  name,
  category,
  unit,
});
