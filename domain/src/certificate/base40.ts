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
const decodeGroup = 4;
const limbBase = 2 ** 24;

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

  // Base-2^24 limbs, least significant first, fed four digits at a time: limb × 40^4 + carry stays below
  // 2^53, so plain doubles are exact and no BigInt is needed on the hot path.
  const limbs: number[] = [];
  const head = text.length % decodeGroup || decodeGroup;
  for (let at = 0, end = head; at < text.length; end += decodeGroup) {
    let carry = 0;
    let multiplier = 1;
    for (; at < end; at++) {
      carry = carry * 40 + values[at]!;
      multiplier *= 40;
    }
    for (let i = 0; i < limbs.length; i++) {
      const x = limbs[i]! * multiplier + carry;
      carry = Math.floor(x / limbBase);
      limbs[i] = x - carry * limbBase;
    }
    for (; carry > 0; carry = Math.floor(carry / limbBase)) limbs.push(carry % limbBase);
  }

  const big: number[] = [];
  for (let i = limbs.length - 1; i >= 0; i--)
    big.push(limbs[i]! >> 16, (limbs[i]! >> 8) & 0xff, limbs[i]! & 0xff);
  const first = big.findIndex((byte) => byte !== 0);
  if (first < 0 || big[first] !== sentinel) return { ok: false, error: 'bad_sentinel' };
  const bytes = Uint8Array.from(big.slice(first + 1));
  return { ok: true, bytes };
}
