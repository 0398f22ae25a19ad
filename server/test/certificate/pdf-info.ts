const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };

/** Reads a PDF literal string's bytes, undoing the escapes of PDF 32000 §7.3.4.2. */
function literalBytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const next = text[++i]!;
    const octal = /^[0-7]{1,3}/.exec(text.slice(i))?.[0];
    if (octal) {
      out.push(Number.parseInt(octal, 8));
      i += octal.length - 1;
    } else out.push(escapes[next] ?? next.charCodeAt(0));
  }
  return out;
}

/** The document-information Title of an uncompressed-info PDF (as pdfkit writes it), decoded from UTF-16BE. */
export function pdfTitle(pdf: Buffer): string | undefined {
  const text = pdf.toString('latin1');
  const ref = /\/Title (\d+) 0 R/.exec(text)?.[1];
  const literal = ref
    ? new RegExp(`\\n${ref} 0 obj\\n\\(((?:\\\\.|[^\\\\)])*)\\)`, 's').exec(text)?.[1]
    : undefined;
  if (literal === undefined) return undefined;
  const bytes = Buffer.from(literalBytes(literal));
  if (bytes[0] !== 0xfe || bytes[1] !== 0xff) return bytes.toString('latin1');
  return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
}
