import { describe, expect, it } from 'vitest';
import { chunkFrames } from '../../src/camera/ffmpeg-frames.ts';
import { crop, downsample2x2, stretchContrast } from '../../src/camera/frame.ts';
import { parsePgm } from '../../src/camera/still-image.ts';

const frame4x2 = { width: 4, height: 2, data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70]) };

describe('frame operations', () => {
  it('crops a region given as fractions of the frame', () => {
    expect(crop(frame4x2, { left: 0.5, top: 0, width: 0.5, height: 1 })).toEqual({
      width: 2,
      height: 2,
      data: Uint8Array.from([20, 30, 60, 70]),
    });
  });

  it('averages 2×2 blocks with rounding', () => {
    expect(downsample2x2(frame4x2)).toEqual({ width: 2, height: 1, data: Uint8Array.from([25, 45]) });
  });

  it('stretches the 1st–99th percentile range to 0–255', () => {
    const data = new Uint8Array(200).map((_, i) => 100 + (i % 20));
    const stretched = stretchContrast({ width: 20, height: 10, data });
    expect(Math.min(...stretched.data)).toBe(0);
    expect(Math.max(...stretched.data)).toBe(255);
  });

  it('cuts a byte stream into whole frames across chunk boundaries, dropping a partial last frame', async () => {
    const chunks = [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5, 6, 7, 8, 9])];
    const frames = [];
    for await (const frame of chunkFrames(chunks, 2, 2)) frames.push([...frame.data]);
    expect(frames).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });

  it('parses binary PGM as ffmpeg writes it, and refuses anything else with a code', () => {
    const pgm = new Uint8Array([...Buffer.from('P5\n2 1\n255\n'), 7, 9]);
    expect(parsePgm(pgm)).toEqual({ width: 2, height: 1, data: Uint8Array.from([7, 9]) });
    expect(parsePgm(Buffer.from('\x89PNG....'))).toMatchObject({ code: 'not_pgm' });
    expect(parsePgm(new Uint8Array([...Buffer.from('P5\n2 2\n255\n'), 7]))).toMatchObject({
      code: 'not_pgm',
    });
  });
});
