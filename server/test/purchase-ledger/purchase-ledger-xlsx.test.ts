import type { PurchaseLedgerRow } from '@liangzheng/domain';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { purchaseLedgerXlsx } from '../../src/purchase-ledger/purchase-ledger-xlsx.ts';

const row = (lotId: string): PurchaseLedgerRow => ({
  date: '2026-12-03',
  time: '08:15:00',
  stall: 'A01',
  productName: '大白菜',
  quantity: 50,
  unit: 'kg',
  supplier: '望城区绿源蔬菜专业合作社',
  supplierAddress: '',
  supplierContact: '',
  origin: '湖南省长沙市望城区',
  documents: '承诺达标合格证',
  outcome: '放行',
  lotId,
});

async function* pages(): AsyncGenerator<PurchaseLedgerRow[]> {
  yield [row('lot-1'), row('lot-2')];
  yield [row('lot-3')];
}

describe('the purchase ledger workbook', () => {
  it('puts filter buttons over the header row, down to the last streamed row', async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of purchaseLedgerXlsx(pages())) chunks.push(chunk);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheet.match(/<row>/g)).toHaveLength(4);
    expect(sheet).toContain('</sheetData><autoFilter ref="A1:M4"/></worksheet>');
  });
});
