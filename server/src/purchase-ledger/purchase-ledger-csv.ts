import { ledgerCells, ledgerColumns, type PurchaseLedgerRow } from '@liangzheng/domain';

/** Excel reads a UTF-8 CSV as the local code page unless it starts with a byte-order mark. */
const BOM = '\uFEFF';

/** RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (cells: (string | number)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** The ledger as CSV text, one chunk per page of rows. */
export async function* purchaseLedgerCsv(pages: AsyncIterable<PurchaseLedgerRow[]>): AsyncGenerator<string> {
  yield BOM + csvLine([...ledgerColumns]);
  for await (const rows of pages) yield rows.map((r) => csvLine(ledgerCells(r))).join('');
}
