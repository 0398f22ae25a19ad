/**
 * Text for Chinese thermal printers: their built-in fonts (TSPL's TSS16.BF2/TSS24.BF2, ESC/POS in Chinese mode)
 * read GB 2312/GBK double-byte codes. Node can decode GBK (TextDecoder, full ICU) but not encode it, so the
 * table is built once by decoding every double-byte code: no encoding library to carry for one direction.
 */
let table: Map<string, number> | undefined;

function gbkTable(): Map<string, number> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, (lead << 8) | trail);
    }
  }
  return table;
}

/** What a printer font cannot show is printed as `?`, the way the printers themselves do. */
export const UNPRINTABLE = 0x3f;

/** `text` as GBK bytes: ASCII as itself, everything else as its double-byte code or `?`. */
export function encodeGbk(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 0x80) {
      bytes.push(codePoint);
      continue;
    }
    const code = gbkTable().get(char);
    if (code === undefined) bytes.push(UNPRINTABLE);
    else bytes.push(code >> 8, code & 0xff);
  }
  return Buffer.from(bytes);
}

/** Columns a printer font gives `text`: ASCII is half width (one column), a Chinese character two. */
export function printColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += char.codePointAt(0)! < 0x80 ? 1 : 2;
  return columns;
}

/**
 * `text` broken into lines of at most `columns` printer columns. Breaks fall between Chinese characters or
 * between words; a run of letters and digits longer than a line (a certificate id) is cut where it must be.
 */
export function wrapColumns(text: string, columns: number): string[] {
  const tokens = text.match(/[\x21-\x7e]+|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  const push = (token: string) => {
    if (line && printColumns(line + token) > columns) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  };
  for (const token of tokens) {
    if (printColumns(token) <= columns) push(token);
    else for (const char of token) push(char);
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}
