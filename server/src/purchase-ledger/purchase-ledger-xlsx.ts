import { ledgerCells, ledgerColumns, type PurchaseLedgerRow } from '@liangzheng/domain';
import { strToU8, Zip, ZipDeflate } from 'fflate';

/**
 * The ledger as an XLSX workbook written as it is read. write-excel-file (used for the trace sheet) builds the
 * whole sheet in memory, so this writes the few SpreadsheetML parts itself into a streaming zip: cells are inline
 * strings (no shared-string table to hold), and the sheet is deflated a page of rows at a time.
 */
const SHEET_NAME = '进货查验记录';

const staticParts: [string, string][] = [
  [
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '</Types>',
  ],
  [
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '</Relationships>',
  ],
  [
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      `<sheets><sheet name="${SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '</Relationships>',
  ],
];

const xmlText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const cellXml = (value: string | number) =>
  typeof value === 'number'
    ? `<c><v>${value}</v></c>`
    : `<c t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;

const rowXml = (cells: (string | number)[]) => `<row>${cells.map(cellXml).join('')}</row>`;

const sheetHead =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
/** The sheet's end, with filter buttons over the header row: the ledger is read by narrowing it down (one stall, one day). */
const sheetTail = (rowCount: number) => {
  const lastColumn = String.fromCharCode('A'.charCodeAt(0) + ledgerColumns.length - 1);
  return `</sheetData><autoFilter ref="A1:${lastColumn}${rowCount}"/></worksheet>`;
};

/** The workbook's bytes, one batch of zip output per page of rows. */
export async function* purchaseLedgerXlsx(
  pages: AsyncIterable<PurchaseLedgerRow[]>,
): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* take(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }
  for (const [name, text] of staticParts) {
    const part = new ZipDeflate(name, { level: 6 });
    zip.add(part);
    part.push(strToU8(text), true);
  }
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  sheet.push(strToU8(sheetHead + rowXml([...ledgerColumns])));
  yield* take();
  let rowCount = 1;
  for await (const rows of pages) {
    sheet.push(strToU8(rows.map((r) => rowXml(ledgerCells(r))).join('')));
    rowCount += rows.length;
    yield* take();
  }
  sheet.push(strToU8(sheetTail(rowCount)), true);
  zip.end();
  yield* take();
}
