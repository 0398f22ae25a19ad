import { describe, expect, it } from 'vitest';
import { importRows, lineReason } from '../src/admin/products/import-rows.ts';

const csv =
  '\uFEFF编码,名称,类别,单位\r\n1001,大白菜,蔬菜,公斤\n\n1002,鳜鱼,海鲜,千克\n1001,又一个,蔬菜,斤\n';

describe('the catalogue import’s result per line', () => {
  it('numbers lines as the server does (blank lines skipped, not renumbered) and marks the refused ones', () => {
    const rows = importRows(csv, {
      imported: false,
      issues: [
        { path: 'line 4', message: 'invalid category' },
        { path: 'line 5', message: 'code 1001 appears twice' },
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
      reason: { kind: 'invalid', fields: ['category'] },
    });
    expect(rows[3]!.reason).toEqual({ kind: 'duplicate', code: '1001' });
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
      issues: [{ path: 'line 1', message: 'header lacks code' }],
    });
    expect(rows[0]).toMatchObject({ status: 'refused', reason: { kind: 'header', fields: ['code'] } });
    expect(rows[1]!.status).toBe('waiting');
  });

  it('reads each of the parser’s sentences, and keeps one it does not know as it came', () => {
    expect(lineReason('invalid code, unit')).toEqual({ kind: 'invalid', fields: ['code', 'unit'] });
    expect(lineReason('empty file')).toEqual({ kind: 'empty' });
    expect(lineReason('no products')).toEqual({ kind: 'none' });
    expect(lineReason('something new')).toEqual({ kind: 'other', message: 'something new' });
  });
});
