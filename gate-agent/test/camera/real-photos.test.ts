import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cameraDecoder } from '../../src/camera/camera-decoder.ts';
import type { GrayFrame } from '../../src/camera/frame.ts';
import type { FrameDecoder } from '../../src/camera/frame-decoder.ts';
import { isFrame, readStillImages } from '../../src/camera/still-image.ts';

/** The zxing-cpp sample set, at the same place relative to the repository here and in CI. */
const root = join(import.meta.dirname, '../../../../shared/testdata/zxing-cpp-qr');

interface Sample {
  set: string;
  path: string;
  expected?: string;
}

const samples: Sample[] = readdirSync(root)
  .filter((set) => /^(qrcode|falsepositives)-\d$/.test(set))
  .flatMap((set) =>
    readdirSync(join(root, set))
      .filter((file) => /\.(png|jpe?g)$/i.test(file))
      .map((file) => {
        const path = join(root, set, file);
        return set.startsWith('qrcode')
          ? { set, path, expected: readFileSync(path.replace(/\.[^.]+$/, '.txt'), 'utf8') }
          : { set, path };
      }),
  );

let frames: GrayFrame[];
beforeAll(async () => {
  const images = await readStillImages(samples.map((s) => s.path));
  frames = images.map((image, i) => {
    if (!isFrame(image)) throw new Error(`${samples[i]!.path}: ${image.code} ${image.detail}`);
    return image;
  });
}, 60_000);

async function score(decoder: FrameDecoder) {
  let decoded = 0;
  const misreads: string[] = [];
  const falsePositives: string[] = [];
  for (const [i, sample] of samples.entries()) {
    const texts = (await decoder.decode(frames[i]!)).map((s) => s.text);
    if (sample.expected === undefined) {
      if (texts.length > 0) falsePositives.push(sample.path);
    } else if (texts.includes(sample.expected)) decoded++;
    else if (texts.length > 0) misreads.push(sample.path);
  }
  return { decoded, misreads, falsePositives };
}

describe('real photos from zxing-cpp through ffmpeg gray conversion', () => {
  it('holds 137 QR photos and 46 images without a QR code', () => {
    expect(samples.filter((s) => s.expected !== undefined)).toHaveLength(137);
    expect(samples.filter((s) => s.expected === undefined)).toHaveLength(46);
  });

  it('live decoder: ≥125/137 decoded (ZXing-C++ try-harder: 125), 0 misreads, 0 false positives', async () => {
    const result = await score(cameraDecoder({ thorough: false }));
    expect(result.misreads).toEqual([]);
    expect(result.falsePositives).toEqual([]);
    expect(result.decoded).toBeGreaterThanOrEqual(125);
  }, 60_000);

  it('thorough decoder for stills: ≥126/137, 0 misreads, 0 false positives', async () => {
    const result = await score(cameraDecoder({ thorough: true }));
    expect(result.misreads).toEqual([]);
    expect(result.falsePositives).toEqual([]);
    expect(result.decoded).toBeGreaterThanOrEqual(126);
  }, 60_000);
});
