import { describe, expect, it } from 'vitest';
import { importRows, lineReason } from '../src/admin/products/import-rows.ts';

const csv =
  '\uFEFF编码,名称,类别,单位\r\n1001,大白菜,蔬菜,公斤\n\n1002,鳜鱼,海鲜,千克\n1001,又一个,蔬菜,斤\n';

describe('the catalogue import’s result per line', () => {
  it('numbers lines as the server does (blank lines skipped, not renumbered) and marks the refused ones', () => {
    const rows = importRows(csv, {
      imported: false,
      issues: [
        {
          path: 'line 4',
          code: 'CSV_FIELD_INVALID',
          message: 'These fields are wrong: category',
          detail: { fields: ['category'] },
        },
        {
          path: 'line 5',
          code: 'CSV_CODE_REPEATED',
          message: 'Code 1001 appears twice in the file',
          detail: { productCode: 1001 },
        },
      ],
    });
    expect(rows.map((row) => [row.line, row.status])).toEqual([
      [1, 'header'],
      [2, 'waiting'],
      [4, 'refused'],
      [5, 'refused'],
    ]);
    expect(rows[2]).toMatchObject({
      text: '1002,鳜鱼,海鲜,千克',
      reason: { kind: 'coded', problem: { code: 'CSV_FIELD_INVALID', fields: ['category'] } },
    });
    expect(rows[3]!.reason).toEqual({
      kind: 'coded',
      problem: { code: 'CSV_CODE_REPEATED', productCode: 1001 },
    });
  });

  it('marks every product line imported when the file went through', () => {
    expect(importRows(csv, { imported: true }).map((row) => row.status)).toEqual([
      'header',
      'accepted',
      'accepted',
      'accepted',
    ]);
  });

  it('puts a refused header on the header line', () => {
    const rows = importRows('名称,类别\n大白菜,蔬菜', {
      imported: false,
      issues: [
        {
          path: 'line 1',
          code: 'CSV_HEADER_INCOMPLETE',
          message: 'The header lacks: code',
          detail: { fields: ['code'] },
        },
      ],
    });
    expect(rows[0]).toMatchObject({
      status: 'refused',
      reason: { kind: 'coded', problem: { code: 'CSV_HEADER_INCOMPLETE', fields: ['code'] } },
    });
    expect(rows[1]!.status).toBe('waiting');
  });

  it('reads the reason from the code, never from the sentence, and keeps an issue without a known code as it came', () => {
    expect(lineReason({ path: 'line 2', code: 'CSV_EMPTY', message: 'anything at all' })).toEqual({
      kind: 'coded',
      problem: { code: 'CSV_EMPTY' },
    });
    expect(lineReason({ path: 'line 2', message: 'invalid code, unit' })).toEqual({
      kind: 'other',
      message: 'invalid code, unit',
    });
    expect(lineReason({ path: 'line 2', code: 'SOMETHING_NEW', message: 'something new' })).toEqual({
      kind: 'other',
      message: 'something new',
    });
    expect(
      lineReason({ path: 'line 2', code: 'CSV_FIELD_INVALID', message: 'x', detail: { fields: ['colour'] } }),
    ).toEqual({ kind: 'other', message: 'x' });
  });
});
