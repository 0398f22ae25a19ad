import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrayFrame } from './frame.ts';

export type StillImageError = { code: 'ffmpeg_failed'; detail: string } | { code: 'not_pgm'; detail: string };

/** Parses binary PGM (P5, 8-bit), which ffmpeg writes with the image's own dimensions in the header. */
export function parsePgm(bytes: Uint8Array): GrayFrame | StillImageError {
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const match = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(header);
  if (!match) return { code: 'not_pgm', detail: header.slice(0, 16) };
  const width = Number(match[1]);
  const height = Number(match[2]);
  const start = match[0].length;
  if (bytes.length - start < width * height) return { code: 'not_pgm', detail: 'truncated' };
  return { width, height, data: bytes.slice(start, start + width * height) };
}

export const isFrame = (value: GrayFrame | StillImageError): value is GrayFrame => 'data' in value;

/** Inputs per ffmpeg run: one process per photo costs ~100 ms to start, one per batch amortises it. */
const batchSize = 48;

/**
 * Photos as the camera path sees them: ffmpeg's own gray conversion at each image's own size.
 * Results are in the order of `paths`.
 */
export async function readStillImages(
  paths: string[],
  ffmpegPath = 'ffmpeg',
): Promise<(GrayFrame | StillImageError)[]> {
  const results: (GrayFrame | StillImageError)[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'lz-still-'));
  try {
    for (let first = 0; first < paths.length; first += batchSize) {
      const batch = paths.slice(first, first + batchSize);
      const inputs = batch.flatMap((path) => ['-i', path]);
      const outputs = batch.flatMap((_, i) => [
        ...['-map', `${i}:v:0`, '-frames:v', '1', '-c:v', 'pgm', '-pix_fmt', 'gray'],
        ...['-f', 'image2', '-update', '1', '-y', join(dir, `${first + i}.pgm`)],
      ]);
      const failure = await run(ffmpegPath, [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        ...inputs,
        ...outputs,
      ]);
      for (let i = 0; i < batch.length; i++) {
        if (failure) results.push(failure);
        else results.push(parsePgm(await readFile(join(dir, `${first + i}.pgm`))));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

function run(command: string, args: string[]): Promise<StillImageError | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, (error, _stdout, stderr) => {
      resolve(
        error ? { code: 'ffmpeg_failed', detail: `${error.message} ${stderr.slice(-200)}` } : undefined,
      );
    });
  });
}
