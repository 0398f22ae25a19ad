import type { Category } from '../category/category.ts';
import type { Unit } from '../unit/unit.ts';
import { type Basis, type CertificateKind, CertificatePayload } from './certificate.ts';

/**
 * Binary layout of a signed certificate, format 1 (docs/certificate-code.md has the byte table).
 * Every payload has exactly one encoding: varints are minimal, decimals use the smallest scale, and
 * reserved bits must be zero, so re-encoding a decoded payload gives back the signed bytes.
 */
export const layoutVersion = 1;
export const signatureLength = 64;
export const maxParents = 8;
/** UTF-8 bytes of the product name: 40 characters of up to 4 bytes each. */
export const maxNameBytes = 160;
const maxVarintBytes = 8;
const maxScale = 7;

export type LayoutError =
  | 'invalid_payload'
  | 'unrepresentable_quantity'
  | 'name_too_long'
  | 'parents_kind_mismatch'
  | 'truncated'
  | 'trailing_bytes'
  | 'unsupported_version'
  | 'reserved_bits'
  | 'bad_enum'
  | 'bad_varint'
  | 'bad_region'
  | 'bad_utf8';

// Code tables frozen by format 1: the position is the wire value. Append only, within the bit widths.
const kinds: readonly CertificateKind[] = ['producer', 'repack'];
const bases: readonly Basis[] = ['quality_control', 'self_tested', 'commissioned_test'];
const categories: readonly Category[] = ['vegetable', 'fruit', 'tea', 'livestock_poultry', 'egg', 'aquatic'];
const units: readonly Unit[] = ['kg', 'g', 't', 'jin', 'gongjin', 'head', 'piece', 'box'];

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A quantity as mantissa and decimal scale, packed into one varint as mantissa * 8 + scale. */
function packDecimal(value: number): number | undefined {
  for (let scale = 0; scale <= maxScale; scale++) {
    const mantissa = Math.round(value * 10 ** scale);
    if (mantissa / 10 ** scale === value) {
      const packed = mantissa * 8 + scale;
      return mantissa >= 1 && Number.isSafeInteger(packed) && packed < 2 ** (7 * maxVarintBytes)
        ? packed
        : undefined;
    }
  }
  return undefined;
}

function unpackDecimal(packed: number): number | undefined {
  const scale = packed % 8;
  const mantissa = (packed - scale) / 8;
  // Non-minimal scale (a mantissa ending in 0) would give a second spelling of the same number.
  if (mantissa < 1 || (scale > 0 && mantissa % 10 === 0)) return undefined;
  return mantissa / 10 ** scale;
}

class ByteWriter {
  private readonly bytes: number[] = [];
  byte(value: number): void {
    this.bytes.push(value & 0xff);
  }
  raw(values: Uint8Array): void {
    for (const value of values) this.bytes.push(value);
  }
  uint(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bytes.push(Math.floor(value / 256 ** i) % 256);
  }
  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.bytes.push(rest);
  }
  hex(text: string): void {
    for (let i = 0; i < text.length; i += 2) this.bytes.push(Number.parseInt(text.slice(i, i + 2), 16));
  }
  result(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Truncated extends Error {}
class Malformed extends Error {
  constructor(readonly code: LayoutError) {
    super(code);
  }
}

class ByteReader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  get remaining(): number {
    return this.bytes.length - this.at;
  }
  byte(): number {
    if (this.at >= this.bytes.length) throw new Truncated();
    return this.bytes[this.at++]!;
  }
  raw(length: number): Uint8Array {
    if (this.at + length > this.bytes.length) throw new Truncated();
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }
  uint(length: number): number {
    let value = 0;
    for (let i = 0; i < length; i++) value = value * 256 + this.byte();
    return value;
  }
  varint(): number {
    let value = 0;
    for (let i = 0; i < maxVarintBytes; i++) {
      const byte = this.byte();
      value += (byte & 0x7f) * 0x80 ** i;
      if (byte < 0x80) {
        if ((i > 0 && byte === 0) || !Number.isSafeInteger(value)) throw new Malformed('bad_varint');
        return value;
      }
    }
    throw new Malformed('bad_varint');
  }
  hex(length: number): string {
    let text = '';
    for (const byte of this.raw(length)) text += byte.toString(16).padStart(2, '0');
    return text;
  }
}

/** The bytes covered by the signature. The caller appends the 64-byte signature. */
export function writeCertificateBody(
  input: CertificatePayload,
): { ok: true; body: Uint8Array; payload: CertificatePayload } | { ok: false; error: LayoutError } {
  const parsed = CertificatePayload.safeParse(input);
  if (!parsed.success) return { ok: false, error: 'invalid_payload' };
  // The code carries whole seconds; report back the payload as it will read.
  const payload = {
    ...parsed.data,
    issuedAt: new Date(Math.floor(parsed.data.issuedAt.getTime() / 1000) * 1000),
  };
  const seconds = payload.issuedAt.getTime() / 1000;
  if (seconds < 0 || seconds >= 2 ** 32) return { ok: false, error: 'invalid_payload' };
  if ((payload.kind === 'producer') !== (payload.parents.length === 0))
    return { ok: false, error: 'parents_kind_mismatch' };
  const name = encoder.encode(payload.productName);
  if (name.length > maxNameBytes) return { ok: false, error: 'name_too_long' };
  const codes = [
    bases.indexOf(payload.basis),
    categories.indexOf(payload.category),
    units.indexOf(payload.unit),
  ];
  if (codes.includes(-1)) return { ok: false, error: 'invalid_payload' };
  const quantity = packDecimal(payload.quantity);
  const parentQuantities = payload.parents.map((parent) => packDecimal(parent.quantity));
  if (quantity === undefined || parentQuantities.includes(undefined))
    return { ok: false, error: 'unrepresentable_quantity' };

  const out = new ByteWriter();
  out.byte(layoutVersion);
  out.byte(
    kinds.indexOf(payload.kind) |
      (bases.indexOf(payload.basis) << 1) |
      (categories.indexOf(payload.category) << 3),
  );
  out.hex(payload.keyId);
  out.hex(payload.id);
  out.varint(payload.issuerId);
  out.varint(payload.productCode);
  out.uint(Number(payload.originRegion), 3);
  out.uint(seconds, 4);
  out.varint(quantity);
  out.byte(units.indexOf(payload.unit) | (payload.parents.length << 3));
  out.byte(name.length);
  out.raw(name);
  payload.parents.forEach((parent, i) => {
    out.hex(parent.certificateId);
    out.varint(parentQuantities[i]!);
  });
  return { ok: true, body: out.result(), payload };
}

export interface DecodedCertificate {
  payload: CertificatePayload;
  /** the signed bytes: everything before the signature */
  body: Uint8Array;
  signature: Uint8Array;
}

export function readCertificateBytes(
  bytes: Uint8Array,
): { ok: true; value: DecodedCertificate } | { ok: false; error: LayoutError } {
  const input = new ByteReader(bytes);
  try {
    if (input.byte() !== layoutVersion) return { ok: false, error: 'unsupported_version' };
    const header = input.byte();
    if (header >> 6 !== 0) return { ok: false, error: 'reserved_bits' };
    const kind = kinds[header & 1]!;
    const basis = bases[(header >> 1) & 3];
    const category = categories[(header >> 3) & 7];
    const keyId = input.hex(4);
    const id = input.hex(8);
    const issuerId = input.varint();
    const productCode = input.varint();
    const region = input.uint(3);
    if (region > 999_999) return { ok: false, error: 'bad_region' };
    const issuedAt = new Date(input.uint(4) * 1000);
    const quantity = unpackDecimal(input.varint());
    const unitByte = input.byte();
    const unit = units[unitByte & 7]!;
    const parentCount = unitByte >> 3;
    if (basis === undefined || category === undefined || quantity === undefined)
      return { ok: false, error: 'bad_enum' };
    if (parentCount > maxParents) return { ok: false, error: 'bad_enum' };
    if ((kind === 'producer') !== (parentCount === 0)) return { ok: false, error: 'parents_kind_mismatch' };
    const nameLength = input.byte();
    if (nameLength > maxNameBytes) return { ok: false, error: 'name_too_long' };
    let productName: string;
    try {
      productName = utf8.decode(input.raw(nameLength));
    } catch {
      return { ok: false, error: 'bad_utf8' };
    }
    const parents = [];
    for (let i = 0; i < parentCount; i++) {
      const certificateId = input.hex(8);
      const parentQuantity = unpackDecimal(input.varint());
      if (parentQuantity === undefined) return { ok: false, error: 'bad_enum' };
      parents.push({ certificateId, quantity: parentQuantity });
    }
    const bodyLength = input.at;
    if (input.remaining < signatureLength) return { ok: false, error: 'truncated' };
    if (input.remaining > signatureLength) return { ok: false, error: 'trailing_bytes' };
    const parsed = CertificatePayload.safeParse({
      id,
      kind,
      keyId,
      issuerId,
      productCode,
      productName,
      category,
      quantity,
      unit,
      originRegion: String(region).padStart(6, '0'),
      basis,
      issuedAt,
      parents,
    });
    if (!parsed.success) return { ok: false, error: 'invalid_payload' };
    return {
      ok: true,
      value: {
        payload: parsed.data,
        body: bytes.subarray(0, bodyLength),
        signature: input.raw(signatureLength),
      },
    };
  } catch (error) {
    if (error instanceof Truncated) return { ok: false, error: 'truncated' };
    if (error instanceof Malformed) return { ok: false, error: error.code };
    throw error;
  }
}
