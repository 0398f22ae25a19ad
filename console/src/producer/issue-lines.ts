import type { Basis } from '@liangzheng/domain/certificate/certificate';
import type { CertificateFields } from '@liangzheng/domain/certificate/certificate-schemas';
import type { Product } from '@liangzheng/domain/product/product';
import type { Unit } from '@liangzheng/domain/unit/unit';

/** The most certificates one line may make: the batch route takes 200 items in all. */
export const maxPerLine = 200;

/** One line of a day's goods as the producer fills it in: a product, the quantity on each certificate, how many. */
export interface IssueLine {
  key: number;
  productCode: number | null;
  /** as typed, so a half-typed "12." stays on screen */
  quantity: string;
  unit: Unit;
  count: string;
}

/** What every certificate of one issuing shares: the issuer's origin and basis. */
export interface IssueCommon {
  originRegion: string;
  originText: string;
  basis: Basis;
}

export const emptyLine = (key: number): IssueLine => ({
  key,
  productCode: null,
  quantity: '',
  unit: 'kg',
  count: '1',
});

/** Choosing a product takes its catalogue unit, which the producer may still change. */
export const withProduct = (line: IssueLine, product: Product): IssueLine => ({
  ...line,
  productCode: product.code,
  unit: product.unit,
});

/** How many certificates a line makes; 0 while its count is not a whole number from 1 to maxPerLine. */
export function certificatesOf(line: IssueLine): number {
  const count = Number(line.count);
  return Number.isInteger(count) && count >= 1 && count <= maxPerLine ? count : 0;
}

const quantityOf = (line: IssueLine): number | null => {
  const quantity = Number(line.quantity);
  return line.quantity.trim() !== '' && Number.isFinite(quantity) && quantity > 0 ? quantity : null;
};

/** A line is ready when it names a product, a positive quantity and a count. */
export const isReady = (line: IssueLine): boolean =>
  line.productCode !== null && quantityOf(line) !== null && certificatesOf(line) > 0;

export const totalCertificates = (lines: readonly IssueLine[]): number =>
  lines.reduce((sum, line) => sum + certificatesOf(line), 0);

/**
 * The certificates the lines ask for, each line repeated by its count, in the order written: what the batch route
 * signs all or none of. Lines that are not ready make none (the form does not send until every line is ready).
 */
export function certificateItems(lines: readonly IssueLine[], common: IssueCommon): CertificateFields[] {
  return lines.filter(isReady).flatMap((line) =>
    Array.from({ length: certificatesOf(line) }, () => ({
      productCode: line.productCode!,
      quantity: quantityOf(line)!,
      unit: line.unit,
      originRegion: common.originRegion,
      originText: common.originText.trim(),
      basis: common.basis,
      commitmentVersion: '2026' as const,
    })),
  );
}
