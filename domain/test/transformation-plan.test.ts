import { describe, expect, it } from 'vitest';
import {
  type CatalogueProduct,
  defaultCustodyRules,
  derivedOrigin,
  type OutputRequest,
  type PlannedInput,
  planTransformation,
  type SourceItem,
  type TransformationKind,
} from '../src/index.ts';

const catalogue = new Map<number, CatalogueProduct>([
  [1001, { name: '大白菜', category: 'vegetable' }],
  [1002, { name: '辣椒', category: 'vegetable' }],
  [1999, { name: '混装蔬菜', category: 'vegetable' }],
  [2001, { name: '冰糖橙', category: 'fruit' }],
  [5001, { name: '鲜鸡蛋', category: 'egg' }],
]);

function item(overrides: Partial<SourceItem> = {}): SourceItem {
  return {
    itemId: 'lot:L1:00000000000000c1',
    certificateId: '00000000000000c1',
    productCode: 1001,
    productName: '大白菜',
    category: 'vegetable',
    unit: 'kg',
    left: 100,
    held: false,
    originRegion: '430182',
    originText: '湖南省宁乡市花明楼镇',
    basis: 'self_tested',
    ...overrides,
  };
}

const pepper = item({
  itemId: 'lot:L2:00000000000000p1',
  certificateId: '00000000000000p1',
  productCode: 1002,
  productName: '辣椒',
  unit: 'jin',
  left: 20,
  originRegion: '430181',
  originText: '湖南省浏阳市大围山镇',
  basis: 'commissioned_test',
});

function planOf(kind: TransformationKind, inputs: PlannedInput[], outputs: OutputRequest[]) {
  return planTransformation({
    kind,
    inputs,
    outputs,
    rules: defaultCustodyRules,
    products: (code) => catalogue.get(code),
  });
}

const refusal = (result: ReturnType<typeof planOf>) => (result.ok ? 'ok' : result.refusal.code);

describe('transformation plan', () => {
  it('分装: one source into two outputs, the loss within the vegetable limit, draws adding up to the input', () => {
    const result = planOf('repack', [{ source: item(), quantity: 40 }], [{ quantity: 20 }, { quantity: 16 }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { plan } = result;
    expect(plan).toMatchObject({ unit: 'kg', taken: 40, made: 36, loss: 4 });
    expect(plan.outputs.map((o) => o.draws[0]!.quantity)).toEqual([22.222, 17.778]);
    expect(plan.outputs[0]).toMatchObject({
      productCode: 1001,
      productName: '大白菜',
      category: 'vegetable',
      originRegion: '430182',
      basis: 'self_tested',
      parents: [{ certificateId: '00000000000000c1', quantity: 22.222 }],
    });
  });

  it('混装: two products become the category mix product, origin and basis derived from both sources', () => {
    const result = planOf(
      'repack',
      [
        { source: item(), quantity: 10 },
        { source: pepper, quantity: 6 },
      ],
      [{ quantity: 12 }],
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan).toMatchObject({ taken: 13, made: 12, loss: 1 });
    expect(result.plan.outputs[0]).toMatchObject({
      productCode: 1999,
      productName: '混装蔬菜',
      originRegion: '430100',
      originText: '湖南省宁乡市花明楼镇；湖南省浏阳市大围山镇',
      basis: 'quality_control',
      parents: [
        { certificateId: '00000000000000c1', quantity: 10 },
        { certificateId: '00000000000000p1', quantity: 6 },
      ],
    });
  });

  it('an output may not become another category (辣椒 as 冰糖橙)', () => {
    expect(
      refusal(planOf('repack', [{ source: item(), quantity: 10 }], [{ productCode: 2001, quantity: 10 }])),
    ).toBe('CATEGORY_MISMATCH');
  });

  it('an output may not become another product of the same category without the mix rule', () => {
    expect(
      refusal(planOf('repack', [{ source: item(), quantity: 10 }], [{ productCode: 1002, quantity: 10 }])),
    ).toBe('PRODUCT_MISMATCH');
  });

  it('mixing needs a rule: without a mix product several products cannot be combined', () => {
    const result = planTransformation({
      kind: 'repack',
      inputs: [
        { source: item(), quantity: 10 },
        { source: pepper, quantity: 6 },
      ],
      outputs: [{ quantity: 12 }],
      rules: { ...defaultCustodyRules, mixProduct: {} },
      products: (code) => catalogue.get(code),
    });
    expect(refusal(result)).toBe('PRODUCT_MISMATCH');
  });

  it('a resale keeps the product and loses nothing', () => {
    expect(refusal(planOf('resale', [{ source: item(), quantity: 50 }], [{ quantity: 50 }]))).toBe('ok');
    expect(refusal(planOf('resale', [{ source: item(), quantity: 50 }], [{ quantity: 49 }]))).toBe(
      'LOSS_EXCEEDS_LIMIT',
    );
  });

  it('a repack may not lose more than the category allows (eggs: nothing)', () => {
    expect(refusal(planOf('repack', [{ source: item(), quantity: 10 }], [{ quantity: 6 }]))).toBe(
      'LOSS_EXCEEDS_LIMIT',
    );
    const eggs = item({ productCode: 5001, category: 'egg', unit: 'box' });
    expect(refusal(planOf('repack', [{ source: eggs, quantity: 10 }], [{ quantity: 9 }]))).toBe(
      'LOSS_EXCEEDS_LIMIT',
    );
  });

  it('an over-draw, or outputs larger than the inputs, is QUANTITY_EXCEEDED', () => {
    expect(refusal(planOf('repack', [{ source: item(), quantity: 101 }], [{ quantity: 100 }]))).toBe(
      'QUANTITY_EXCEEDED',
    );
    expect(refusal(planOf('repack', [{ source: item(), quantity: 10 }], [{ quantity: 11 }]))).toBe(
      'QUANTITY_EXCEEDED',
    );
  });

  it('a zero, negative or non-finite quantity is refused', () => {
    for (const quantity of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal(planOf('repack', [{ source: item(), quantity }], [{ quantity: 1 }]))).toBe(
        'INVALID_QUANTITY',
      );
      expect(refusal(planOf('repack', [{ source: item(), quantity: 1 }], [{ quantity }]))).toBe(
        'INVALID_QUANTITY',
      );
    }
  });

  it('units that do not convert are refused (箱 into 千克), weights convert (斤 into 千克)', () => {
    expect(
      refusal(planOf('repack', [{ source: item(), quantity: 10 }], [{ quantity: 10, unit: 'box' }])),
    ).toBe('UNIT_MISMATCH');
    expect(
      refusal(planOf('repack', [{ source: pepper, quantity: 20 }], [{ quantity: 10, unit: 'kg' }])),
    ).toBe('ok');
  });

  it('a held item and an item listed twice are refused', () => {
    expect(
      refusal(planOf('repack', [{ source: item({ held: true }), quantity: 1 }], [{ quantity: 1 }])),
    ).toBe('ITEM_HELD');
    expect(
      refusal(
        planOf(
          'repack',
          [
            { source: item(), quantity: 1 },
            { source: item(), quantity: 1 },
          ],
          [{ quantity: 2 }],
        ),
      ),
    ).toBe('DUPLICATE_INPUT');
  });

  it('more than eight source certificates do not fit in one code', () => {
    const inputs = Array.from({ length: 9 }, (_, i) => ({
      source: item({ itemId: `lot:L${i}:000000000000000${i}`, certificateId: `000000000000000${i}` }),
      quantity: 1,
    }));
    expect(refusal(planOf('repack', inputs, [{ quantity: 9 }]))).toBe('TOO_MANY_SOURCES');
  });

  it('origins in two provinces fall back to no common division', () => {
    expect(
      derivedOrigin([
        { originRegion: '430182', originText: '' },
        { originRegion: '450100', originText: '' },
      ]).region,
    ).toBe('000000');
  });
});
