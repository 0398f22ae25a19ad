import { describe, expect, it } from 'vitest';
import {
  certificateItems,
  certificatesOf,
  emptyLine,
  type IssueLine,
  isReady,
  totalCertificates,
  withProduct,
} from '../src/producer/issue-lines.ts';

const common = { originRegion: '430182', originText: ' 宁乡市 ', basis: 'self_tested' as const };
const cabbage = {
  code: 1001,
  name: '大白菜',
  category: 'vegetable' as const,
  unit: 'jin' as const,
  active: true,
  requiredDocuments: [],
};
const line = (change: Partial<IssueLine>): IssueLine => ({
  ...withProduct(emptyLine(1), cabbage),
  ...change,
});

describe('a day of issue lines', () => {
  it('takes the catalogue unit when a product is chosen', () => {
    expect(withProduct(emptyLine(1), cabbage)).toMatchObject({ productCode: 1001, unit: 'jin' });
  });

  it('repeats each line by its count, in the order written, with the shared origin and basis', () => {
    const items = certificateItems(
      [
        line({ quantity: '300', count: '2' }),
        line({ key: 2, productCode: 1002, quantity: '40', count: '1' }),
      ],
      common,
    );
    expect(items.map((i) => [i.productCode, i.quantity, i.unit])).toEqual([
      [1001, 300, 'jin'],
      [1001, 300, 'jin'],
      [1002, 40, 'jin'],
    ]);
    expect(items[0]).toMatchObject({ originRegion: '430182', originText: '宁乡市', basis: 'self_tested' });
  });

  it('is not ready without a product, a positive quantity and a whole count from 1 to 200', () => {
    expect(isReady(emptyLine(1))).toBe(false);
    expect(isReady(line({ quantity: '0' }))).toBe(false);
    expect(isReady(line({ quantity: '' }))).toBe(false);
    expect(isReady(line({ quantity: '12.5', count: '1.5' }))).toBe(false);
    expect(isReady(line({ quantity: '12.5', count: '201' }))).toBe(false);
    expect(isReady(line({ quantity: '12.5', count: '200' }))).toBe(true);
  });

  it('counts only whole counts toward the button', () => {
    expect(certificatesOf(line({ count: 'x' }))).toBe(0);
    expect(totalCertificates([line({ count: '2' }), line({ count: '3' }), line({ count: '' })])).toBe(5);
  });
});
