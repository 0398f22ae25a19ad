/**
 * A catalogue CSV's lines with what the import did to each, for the per-row result under the import form. The
 * server imports a file whole or not at all (docs/api.md): when it refuses, it names each bad line, and every
 * other line was fine but waits for the file to be fixed.
 */
export type ImportRowStatus = 'header' | 'accepted' | 'refused' | 'waiting';

export interface ImportRow {
  line: number;
  text: string;
  status: ImportRowStatus;
  /** why a refused line (or the file, on the header line) was refused */
  reason?: ImportLineReason;
}

export type ImportField = 'code' | 'name' | 'category' | 'unit';
export type ImportLineReason =
  | { kind: 'invalid'; fields: ImportField[] }
  | { kind: 'duplicate'; code: string }
  | { kind: 'header'; fields: ImportField[] }
  | { kind: 'empty' }
  | { kind: 'none' }
  | { kind: 'other'; message: string };

const fieldNames: readonly string[] = ['code', 'name', 'category', 'unit'];
const fieldsOf = (list: string): ImportField[] =>
  list.split(/,\s*/).filter((field): field is ImportField => fieldNames.includes(field));

/** The server's sentence for a bad line (`parseProductCsv`'s messages), as a reason the console can word. */
export function lineReason(message: string): ImportLineReason {
  const invalid = /^invalid (.+)$/.exec(message);
  if (invalid) return { kind: 'invalid', fields: fieldsOf(invalid[1]!) };
  const duplicate = /^code (\d+) appears twice$/.exec(message);
  if (duplicate) return { kind: 'duplicate', code: duplicate[1]! };
  const header = /^header lacks (.+)$/.exec(message);
  if (header) return { kind: 'header', fields: fieldsOf(header[1]!) };
  if (message === 'empty file') return { kind: 'empty' };
  if (message === 'no products') return { kind: 'none' };
  return { kind: 'other', message };
}

/**
 * Each non-blank line of `csv`, numbered as the server numbers them (from 1, after a byte-order mark), with its
 * status: all accepted when the import went through, else the refused ones with their reasons (`issues` paths
 * are `line N`) and the rest waiting.
 */
export function importRows(
  csv: string,
  answer: { imported: true } | { imported: false; issues: { path: string; message: string }[] },
): ImportRow[] {
  const refused = new Map<number, string>();
  if (!answer.imported) {
    for (const issue of answer.issues) {
      const line = /^line (\d+)$/.exec(issue.path);
      if (line) refused.set(Number(line[1]), issue.message);
    }
  }
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => text.split(',').some((cell) => cell.trim() !== ''));
  return lines.map(({ line, text }, index): ImportRow => {
    const message = refused.get(line);
    if (message !== undefined) return { line, text, status: 'refused', reason: lineReason(message) };
    if (index === 0) return { line, text, status: 'header' };
    return { line, text, status: answer.imported ? 'accepted' : 'waiting' };
  });
}
