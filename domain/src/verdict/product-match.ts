/** Product names compared as people write them: width, case, spaces and punctuation do not matter. */
export function normaliseProductName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

export interface ProductClaim {
  productCode?: number | undefined;
  /** every name the certificate's product goes by (its own, the product catalogue's) */
  names: readonly string[];
}

/**
 * Whether a certificate's product is the declared one: equal product codes decide when both are known;
 * otherwise one normalised name must contain the other (辣椒 and 辣椒（混装）, 大白菜 and 白菜).
 */
export function productMatches(declared: ProductClaim, certified: ProductClaim): boolean {
  if (declared.productCode !== undefined && certified.productCode !== undefined) {
    return declared.productCode === certified.productCode;
  }
  const declaredNames = declared.names.map(normaliseProductName).filter((n) => n.length > 0);
  const certifiedNames = certified.names.map(normaliseProductName).filter((n) => n.length > 0);
  return declaredNames.some((d) => certifiedNames.some((c) => c.includes(d) || d.includes(c)));
}
