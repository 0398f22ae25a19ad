import { z } from 'zod';

/** A photo of a paper certificate, base64; bounded so one lot stays well under the request body limit. */
export const maxPhotoBase64Chars = 200_000;

/** Larger than any phone camera takes; a header claiming more is not a photo of a certificate. */
export const maxPhotoSide = 10_000;

export const photoTypes = ['jpeg', 'png', 'webp'] as const;
export type PhotoType = (typeof photoTypes)[number];

export const photoMediaTypes: Record<PhotoType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

export type ImageHeader = { type: PhotoType; width: number; height: number };
export type ImageHeaderReading = { ok: true; image: ImageHeader } | { ok: false; problem: string };

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));
const u16be = (bytes: Uint8Array, at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
const u16le = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u24le = (bytes: Uint8Array, at: number) => u16le(bytes, at) | (bytes[at + 2]! << 16);
const u32be = (bytes: Uint8Array, at: number) =>
  ((bytes[at]! << 24) >>> 0) + (u16be(bytes, at + 1) << 8) + bytes[at + 3]!;

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** PNG: the signature, then IHDR first, whose first eight bytes are width and height (PNG 1.2, 11.2.2). */
function readPng(bytes: Uint8Array): ImageHeaderReading {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') return { ok: false, problem: 'PNG without IHDR' };
  return sized('png', u32be(bytes, 16), u32be(bytes, 20));
}

/**
 * JPEG: walks the marker segments (APPn such as EXIF come first in camera files) to the first start-of-frame,
 * SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which holds height then width (ITU T.81, B.2.2).
 */
function readJpeg(bytes: Uint8Array): ImageHeaderReading {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { ok: false, problem: 'JPEG marker expected' };
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16be(bytes, at + 2);
    if (length < 2) return { ok: false, problem: 'JPEG segment length' };
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) break;
      return sized('jpeg', u16be(bytes, at + 7), u16be(bytes, at + 5));
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image or scan data before any frame header
    at += 2 + length;
  }
  return { ok: false, problem: 'JPEG without a frame header' };
}

/**
 * WebP: a RIFF container whose first chunk is VP8 (lossy: 14-bit sizes after the start code 9D 01 2A), VP8L
 * (lossless: 14-bit sizes minus one after the signature 2F) or VP8X (extended: 24-bit canvas sizes minus one).
 */
function readWebp(bytes: Uint8Array): ImageHeaderReading {
  if (bytes.length < 30) return { ok: false, problem: 'WebP too short' };
  const chunk = ascii(bytes, 12, 4);
  const data = 20;
  if (chunk === 'VP8 ') {
    if (!startsWith(bytes, [0x9d, 0x01, 0x2a], data + 3)) return { ok: false, problem: 'VP8 start code' };
    return sized('webp', u16le(bytes, data + 6) & 0x3fff, u16le(bytes, data + 8) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (bytes[data] !== 0x2f) return { ok: false, problem: 'VP8L signature' };
    const bits =
      (bytes[data + 1]! | (bytes[data + 2]! << 8) | (bytes[data + 3]! << 16) | (bytes[data + 4]! << 24)) >>>
      0;
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return sized('webp', u24le(bytes, data + 4) + 1, u24le(bytes, data + 7) + 1);
  return { ok: false, problem: `WebP chunk ${JSON.stringify(chunk)}` };
}

function sized(type: PhotoType, width: number, height: number): ImageHeaderReading {
  if (width < 1 || height < 1 || width > maxPhotoSide || height > maxPhotoSide) {
    return { ok: false, problem: `${type} of ${width}×${height} pixels` };
  }
  return { ok: true, image: { type, width, height } };
}

/**
 * What an uploaded photo is, from its own bytes: JPEG, PNG or WebP by magic number, with the pixel size its header
 * declares. Anything else, or a header that declares no usable size, is not a photo. Reads headers only: no
 * image library, the same in the server, the agent and the browser.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeaderReading {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return readJpeg(bytes);
  if (startsWith(bytes, pngSignature)) return readPng(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return readWebp(bytes);
  return { ok: false, problem: 'not JPEG, PNG or WebP' };
}

/** Base64 to bytes with the platform's own decoder (Node and browsers both have atob). */
export function base64Bytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** A photo as uploaded: base64 of at most ~150 KB, whose bytes are a JPEG, PNG or WebP with a readable size. */
export const PhotoBase64 = z
  .string()
  .max(maxPhotoBase64Chars, 'photo too large: at most ~150 KB')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'photo must be base64')
  .superRefine((text, ctx) => {
    let bytes: Uint8Array;
    try {
      bytes = base64Bytes(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'photo must be base64' });
      return;
    }
    const image = readImageHeader(bytes);
    if (!image.ok) {
      ctx.addIssue({
        code: 'custom',
        message: `照片须为 JPEG、PNG 或 WebP 图片 / photo must be a JPEG, PNG or WebP image (${image.problem})`,
      });
    }
  });
