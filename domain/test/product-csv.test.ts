import { describe, expect, it } from 'vitest';
import { csvProblemCodes, explainCsvProblem } from '../src/product/csv-problem.ts';
import { parseProductCsv } from '../src/product/product.ts';

const refusals = (csv: string) => {
  const parsed = parseProductCsv(csv);
  if (parsed.ok) throw new Error('expected the CSV to be refused');
  return parsed.errors;
};

describe('a catalogue CSV’s problems, each with its own code', () => {
  it('CSV_EMPTY: a file of blank lines', () => {
    expect(refusals('\uFEFF\n , ,\n')).toEqual([{ line: 1, code: 'CSV_EMPTY' }]);
  });

  it('CSV_HEADER_INCOMPLETE: the header names the columns it lacks', () => {
    expect(refusals('名称,单位\n大白菜,公斤')).toEqual([
      { line: 1, code: 'CSV_HEADER_INCOMPLETE', fields: ['code', 'category'] },
    ]);
  });

  it('CSV_NO_PRODUCTS: a header alone', () => {
    expect(refusals('\n编码,名称,类别\n')).toEqual([{ line: 2, code: 'CSV_NO_PRODUCTS' }]);
  });

  it('CSV_FIELD_INVALID: every wrong field of a line, in column order; blank lines keep their numbers', () => {
    expect(refusals('编码,名称,类别,单位\n\nx1,,海鲜,公斤\n1002,鳜鱼,水产品,桶')).toEqual([
      { line: 3, code: 'CSV_FIELD_INVALID', fields: ['code', 'name', 'category'] },
      { line: 4, code: 'CSV_FIELD_INVALID', fields: ['unit'] },
    ]);
  });

  it('CSV_CODE_REPEATED: the second line with a product code names it', () => {
    expect(refusals('code,name,category\n1001,大白菜,蔬菜\n1001,小白菜,蔬菜')).toEqual([
      { line: 3, code: 'CSV_CODE_REPEATED', productCode: 1001 },
    ]);
  });

  it('words every code in both languages, filling in the fields and the product code', () => {
    for (const code of csvProblemCodes) {
      expect(explainCsvProblem({ code }, 'zh-CN')).not.toBe('');
      expect(explainCsvProblem({ code }, 'en')).not.toBe('');
    }
    expect(explainCsvProblem({ code: 'CSV_FIELD_INVALID', fields: ['code', 'unit'] })).toBe(
      '以下字段有误：编码、单位',
    );
    expect(explainCsvProblem({ code: 'CSV_CODE_REPEATED', productCode: 7001 }, 'en')).toBe(
      'Code 7001 appears twice in the file',
    );
  });
});
