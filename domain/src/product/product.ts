import { z } from 'zod';
import { type Category, Category as CategorySchema } from '../category/category.ts';
import { MultiLineText, SingleLineText } from '../text/text.ts';
import { type Unit, Unit as UnitSchema, unitNames } from '../unit/unit.ts';
import { CsvField, type CsvLineProblem } from './csv-problem.ts';

/** The catalogue code a certificate names its product by (`productCode` in the signed payload). */
export const ProductCode = z.number().int().min(1).max(999_999);

/**
 * A catalogue entry as the API shows it. `requiredDocuments` are the second documents (动物检疫合格证明 …) the
 * active rule set asks of the product's category, so whoever issues or admits it sees what must travel with it.
 */
export const Product = z.object({
  code: ProductCode,
  name: z.string(),
  category: CategorySchema,
  unit: UnitSchema,
  active: z.boolean(),
  requiredDocuments: z.array(z.string()),
});
export type Product = z.infer<typeof Product>;

export const ProductCreate = z.strictObject({
  code: ProductCode,
  name: SingleLineText.min(1).max(40),
  category: CategorySchema,
  unit: UnitSchema.default('kg'),
});
export type ProductCreate = z.infer<typeof ProductCreate>;

export const ProductUpdate = z
  .strictObject({
    name: SingleLineText.min(1).max(40),
    category: CategorySchema,
    unit: UnitSchema,
    active: z.boolean(),
  })
  .partial();

/** The catalogue as CSV text (`code,name,category,unit`), sent as JSON so the route keeps one body parser. */
export const ProductImport = z.strictObject({ csv: MultiLineText.min(1).max(500_000) });
export const ProductImportResult = z.object({ created: z.number(), updated: z.number() });

/** The words a market's spreadsheet uses for a category, besides the codes themselves. */
const categoryWords: Record<string, Category> = {
  蔬菜: 'vegetable',
  水果: 'fruit',
  茶叶: 'tea',
  畜禽: 'livestock_poultry',
  畜禽产品: 'livestock_poultry',
  鲜蛋: 'egg',
  禽蛋: 'egg',
  水产品: 'aquatic',
  水产: 'aquatic',
};
const unitWords: Record<string, Unit> = Object.fromEntries(
  Object.entries(unitNames).map(([unit, name]) => [name, unit as Unit]),
);

export type ParsedCatalogue =
  | { ok: true; products: ProductCreate[] }
  | { ok: false; errors: CsvLineProblem[] };

/**
 * Reads a catalogue CSV: a header naming `code`, `name`, `category` and optionally `unit` (or 编码, 名称, 类别,
 * 单位), then one product a line. Categories and units may be written as codes or in Chinese (蔬菜, 公斤).
 * Every bad line is reported with its code (`csvProblemCodes`), and then nothing is imported.
 */
export function parseProductCsv(text: string): ParsedCatalogue {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, cells: raw.split(',').map((cell) => cell.trim()) }))
    .filter(({ cells }) => cells.some((cell) => cell !== ''));
  const [header, ...rows] = lines;
  if (!header) return { ok: false, errors: [{ line: 1, code: 'CSV_EMPTY' }] };
  const column = columnsOf(header.cells);
  if (!column.ok) {
    return {
      ok: false,
      errors: [{ line: header.line, code: 'CSV_HEADER_INCOMPLETE', fields: column.missing }],
    };
  }

  const errors: CsvLineProblem[] = [];
  const products: ProductCreate[] = [];
  const seen = new Set<number>();
  for (const { line, cells } of rows) {
    const read = (name: keyof typeof column.at) => {
      const index = column.at[name];
      return index === undefined ? undefined : (cells[index] ?? '');
    };
    const unitText = read('unit');
    const parsed = ProductCreate.safeParse({
      code: /^\d+$/.test(read('code') ?? '') ? Number(read('code')) : read('code'),
      name: read('name'),
      category: categoryWords[read('category') ?? ''] ?? read('category'),
      ...(unitText ? { unit: unitWords[unitText] ?? unitText } : {}),
    });
    if (!parsed.success) {
      const fields = CsvField.options.filter((field) => parsed.error.issues.some((i) => i.path[0] === field));
      errors.push({ line, code: 'CSV_FIELD_INVALID', fields });
    } else if (seen.has(parsed.data.code)) {
      errors.push({ line, code: 'CSV_CODE_REPEATED', productCode: parsed.data.code });
    } else {
      seen.add(parsed.data.code);
      products.push(parsed.data);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (products.length === 0) return { ok: false, errors: [{ line: header.line, code: 'CSV_NO_PRODUCTS' }] };
  return { ok: true, products };
}

const headerWords: Record<string, CsvField> = {
  code: 'code',
  编码: 'code',
  name: 'name',
  名称: 'name',
  category: 'category',
  类别: 'category',
  unit: 'unit',
  单位: 'unit',
};

function columnsOf(
  cells: string[],
): { ok: true; at: Partial<Record<CsvField, number>> } | { ok: false; missing: CsvField[] } {
  const at: Partial<Record<CsvField, number>> = {};
  cells.forEach((cell, index) => {
    const field = headerWords[cell.toLowerCase()];
    if (field) at[field] = index;
  });
  const missing = (['code', 'name', 'category'] as const).filter((field) => at[field] === undefined);
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, at };
}

/**
 * What every new install starts with, so a market can issue and admit goods before anyone edits the catalogue:
 * common 湖南 produce in each category, and a mixed entry per category for assorted loads.
 */
export const defaultCatalogue: readonly ProductCreate[] = [
  { code: 1001, name: '大白菜', category: 'vegetable', unit: 'kg' },
  { code: 1002, name: '辣椒', category: 'vegetable', unit: 'kg' },
  { code: 1003, name: '上海青', category: 'vegetable', unit: 'kg' },
  { code: 1004, name: '香菇', category: 'vegetable', unit: 'kg' },
  { code: 1005, name: '西红柿', category: 'vegetable', unit: 'kg' },
  { code: 1006, name: '黄瓜', category: 'vegetable', unit: 'kg' },
  { code: 1007, name: '土豆', category: 'vegetable', unit: 'kg' },
  { code: 1008, name: '白萝卜', category: 'vegetable', unit: 'kg' },
  { code: 1009, name: '豆芽', category: 'vegetable', unit: 'kg' },
  { code: 1999, name: '混装蔬菜', category: 'vegetable', unit: 'kg' },
  { code: 2001, name: '冰糖橙', category: 'fruit', unit: 'kg' },
  { code: 2002, name: '苹果', category: 'fruit', unit: 'kg' },
  { code: 2003, name: '西瓜', category: 'fruit', unit: 'kg' },
  { code: 2999, name: '混装水果', category: 'fruit', unit: 'kg' },
  { code: 3001, name: '安化黑茶鲜叶', category: 'tea', unit: 'kg' },
  { code: 3002, name: '绿茶鲜叶', category: 'tea', unit: 'kg' },
  { code: 4001, name: '生猪', category: 'livestock_poultry', unit: 'head' },
  { code: 4002, name: '鲜猪肉', category: 'livestock_poultry', unit: 'kg' },
  { code: 4003, name: '牛肉', category: 'livestock_poultry', unit: 'kg' },
  { code: 4004, name: '活鸡', category: 'livestock_poultry', unit: 'head' },
  { code: 5001, name: '鲜鸡蛋', category: 'egg', unit: 'kg' },
  { code: 5002, name: '鲜鸭蛋', category: 'egg', unit: 'kg' },
  { code: 6001, name: '草鱼', category: 'aquatic', unit: 'kg' },
  { code: 6002, name: '鲫鱼', category: 'aquatic', unit: 'kg' },
  { code: 6003, name: '小龙虾', category: 'aquatic', unit: 'kg' },
];
