import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhotoBase64, readImageHeader } from '../src/lot/photo.ts';

const fixtures = join(import.meta.dirname, 'fixtures/photos');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

/** The photos the gate agent's camera tests read: real pictures of QR codes, sizes recorded with ffprobe. */
const zxingRoot = join(import.meta.dirname, '../../../shared/testdata/zxing-cpp-qr');
const zxingSizes = JSON.parse(readFileSync(join(fixtures, 'zxing-cpp-qr-sizes.json'), 'utf8')) as Record<
  string,
  [number, number]
>;

/** A WebP in the extended format: a VP8X chunk (canvas 64×48) in front of the lossy file's own VP8 chunk. */
function extendedWebp(lossy: Uint8Array): Uint8Array {
  const vp8 = lossy.subarray(12);
  const vp8x = [0x56, 0x50, 0x38, 0x58, 10, 0, 0, 0, 0, 0, 0, 0, 63, 0, 0, 47, 0, 0];
  const size = 4 + vp8x.length + vp8.length;
  const riff = [0x52, 0x49, 0x46, 0x46, size & 0xff, (size >> 8) & 0xff, 0, 0, 0x57, 0x45, 0x42, 0x50];
  return Uint8Array.from([...riff, ...vp8x, ...vp8]);
}

describe('readImageHeader', () => {
  it('reads the type and size of JPEG, PNG and the three WebP formats from their headers', () => {
    const lossy = fixture('testsrc-64x48-lossy.webp');
    const read = {
      jpeg: readImageHeader(fixture('testsrc-64x48.jpg')),
      png: readImageHeader(fixture('testsrc-64x48.png')),
      lossy: readImageHeader(lossy),
      lossless: readImageHeader(fixture('testsrc-64x48-lossless.webp')),
      extended: readImageHeader(extendedWebp(lossy)),
    };
    expect(read).toEqual({
      jpeg: { ok: true, image: { type: 'jpeg', width: 64, height: 48 } },
      png: { ok: true, image: { type: 'png', width: 64, height: 48 } },
      lossy: { ok: true, image: { type: 'webp', width: 64, height: 48 } },
      lossless: { ok: true, image: { type: 'webp', width: 64, height: 48 } },
      extended: { ok: true, image: { type: 'webp', width: 64, height: 48 } },
    });
  });

  it('reads every real QR photo of the camera test set at the size ffprobe gives', () => {
    const read = Object.fromEntries(
      Object.keys(zxingSizes).map((name) => {
        const header = readImageHeader(new Uint8Array(readFileSync(join(zxingRoot, name))));
        return [name, header.ok ? [header.image.width, header.image.height] : header.problem];
      }),
    );
    expect(Object.keys(read).length).toBeGreaterThan(180);
    expect(read).toEqual(zxingSizes);
  });

  it('refuses what is not a JPEG, PNG or WebP, and headers that declare no usable size', () => {
    const jpeg = fixture('testsrc-64x48.jpg');
    const png = fixture('testsrc-64x48.png');
    const zeroWide = Uint8Array.from(png);
    zeroWide.set([0, 0, 0, 0], 16);
    const huge = Uint8Array.from(png);
    huge.set([0, 1, 0, 0], 16);
    const refused = [
      fixture('testsrc-64x48.gif'),
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      new TextEncoder().encode('just some text, not a picture at all'),
      jpeg.subarray(0, 20),
      png.subarray(0, 16),
      zeroWide,
      huge,
      new Uint8Array(0),
    ].map((bytes) => readImageHeader(bytes).ok);
    expect(refused).toEqual(refused.map(() => false));
  });
});

describe('PhotoBase64', () => {
  it('takes a real photo as base64 and refuses text dressed as base64', () => {
    const jpeg = Buffer.from(fixture('testsrc-64x48.jpg')).toString('base64');
    expect(PhotoBase64.safeParse(jpeg).success).toBe(true);
    const text = PhotoBase64.safeParse(Buffer.from('not a photo, just text').toString('base64'));
    expect(text.success).toBe(false);
    expect(text.error?.issues[0]?.message).toMatch(/JPEG, PNG or WebP/);
    expect(PhotoBase64.safeParse('@@@@').success).toBe(false);
  });
});
