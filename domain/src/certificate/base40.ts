/**
 * BASE40: bytes as one big-endian integer in 40 URL-path-safe characters of the QR alphanumeric set.
 * A leading 0x01 sentinel byte is added before conversion so leading zero bytes survive; the text is
 * canonical (no leading '0' digit), so every byte string has exactly one spelling.
 */
export const base40Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-';

export type Base40Error = 'empty' | 'too_long' | 'bad_character' | 'non_canonical' | 'bad_sentinel';

const sentinel = 0x01;
/** 40^9 < 2^53, so nine digits at a time stay exact in a double and BigInt work is cut ninefold. */
const chunkDigits = 9;
const chunkBase = 40 ** chunkDigits;
const chunkBaseBig = BigInt(chunkBase);

const digitValue = new Int8Array(128).fill(-1);
for (let i = 0; i < base40Alphabet.length; i++) digitValue[base40Alphabet.charCodeAt(i)] = i;

const hexDigits = '0123456789abcdef';

export function encodeBase40(bytes: Uint8Array): string {
  let hex = '01';
  for (const byte of bytes) hex += hexDigits[byte >> 4]! + hexDigits[byte & 15]!;
  let n = BigInt(`0x${hex}`);
  const chunks: string[] = [];
  while (n > 0n) {
    let chunk = Number(n % chunkBaseBig);
    n /= chunkBaseBig;
    let digits = '';
    for (let i = 0; i < chunkDigits; i++) {
      digits = base40Alphabet[chunk % 40]! + digits;
      chunk = Math.floor(chunk / 40);
    }
    chunks.push(digits);
  }
  return chunks.reverse().join('').replace(/^0+/, '');
}

export function decodeBase40(
  text: string,
  maxLength: number,
): { ok: true; bytes: Uint8Array } | { ok: false; error: Base40Error } {
  if (text.length === 0) return { ok: false, error: 'empty' };
  if (text.length > maxLength) return { ok: false, error: 'too_long' };
  const values = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? digitValue[code]! : -1;
    if (value < 0) return { ok: false, error: 'bad_character' };
    values[i] = value;
  }
  if (values[0] === 0) return { ok: false, error: 'non_canonical' };

  let n = 0n;
  let at = 0;
  const head = text.length % chunkDigits || chunkDigits;
  for (let end = head; end <= text.length; end += chunkDigits) {
    let chunk = 0;
    for (; at < end; at++) chunk = chunk * 40 + values[at]!;
    n = (end === head ? 0n : n * chunkBaseBig) + BigInt(chunk);
  }

  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (hex.length < 2 || Number.parseInt(hex.slice(0, 2), 16) !== sentinel)
    return { ok: false, error: 'bad_sentinel' };
  const bytes = new Uint8Array(hex.length / 2 - 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i + 2, 2 * i + 4), 16);
  return { ok: true, bytes };
}
