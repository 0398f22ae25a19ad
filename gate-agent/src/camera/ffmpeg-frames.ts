import { spawn } from 'node:child_process';
import type { SourceError } from '../read/source-event.ts';
import type { GrayFrame } from './frame.ts';

/** A V4L2 webcam, an IP camera, or a video file (tests, recorded sessions). */
export type CameraInput =
  | { kind: 'v4l2'; device: string }
  | { kind: 'rtsp'; url: string }
  | { kind: 'file'; path: string };

export interface CaptureOptions {
  width: number;
  height: number;
  /** frames per second handed to the decoder; ffmpeg's fps filter drops the rest before scaling (bounded CPU) */
  maxFps?: number;
  ffmpegPath?: string;
}

export type StreamEnd = { kind: 'ended' } | { kind: 'failed'; error: SourceError };

/** A running capture: frames pulled one at a time (the pipe applies back-pressure), and how it ended. */
export interface FrameStream {
  frames: AsyncIterable<GrayFrame>;
  ended: Promise<StreamEnd>;
  stop(): void;
}

/** Anything that can (re)open a stream of frames: ffmpeg for real, recorded frames for replay. */
export interface FrameProvider {
  readonly device: string;
  open(): FrameStream;
}

export function cameraDeviceId(input: CameraInput): string {
  if (input.kind === 'v4l2') return `camera:${input.device}`;
  if (input.kind === 'rtsp') return `camera:${input.url.replace(/\/\/[^@/]*@/, '//')}`;
  return `camera:file:${input.path}`;
}

export function ffmpegArgs(input: CameraInput, options: CaptureOptions): string[] {
  const source =
    input.kind === 'v4l2'
      ? ['-f', 'v4l2', '-i', input.device]
      : input.kind === 'rtsp'
        ? ['-rtsp_transport', 'tcp', '-i', input.url]
        : ['-i', input.path];
  const filters = [
    ...(options.maxFps ? [`fps=${options.maxFps}`] : []),
    `scale=${options.width}:${options.height}`,
  ];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    ...source,
    '-vf',
    filters.join(','),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ];
}

export function ffmpegFrameProvider(input: CameraInput, options: CaptureOptions): FrameProvider {
  const device = cameraDeviceId(input);
  return {
    device,
    open: () => spawnFrames(options.ffmpegPath ?? 'ffmpeg', ffmpegArgs(input, options), options, device),
  };
}

function spawnFrames(command: string, args: string[], size: CaptureOptions, device: string): FrameStream {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-500);
  });
  const ended = new Promise<StreamEnd>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        kind: 'failed',
        error: {
          code: error.code === 'ENOENT' ? 'ffmpeg_missing' : 'ffmpeg_exited',
          device,
          detail: error.message,
        },
      }),
    );
    child.once('close', (exitCode, signal) => {
      if (exitCode === 0 || signal === 'SIGTERM') resolve({ kind: 'ended' });
      else
        resolve({
          kind: 'failed',
          error: {
            code: 'ffmpeg_exited',
            device,
            detail: `exit ${exitCode ?? signal}: ${stderrTail.trim()}`,
          },
        });
    });
  });
  return {
    frames: chunkFrames(child.stdout, size.width, size.height),
    ended,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}

/** Cuts the raw byte stream into whole frames; a partial frame at the end (ffmpeg killed) is dropped. */
export async function* chunkFrames(
  bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  width: number,
  height: number,
): AsyncGenerator<GrayFrame> {
  const frameSize = width * height;
  let frame = new Uint8Array(frameSize);
  let filled = 0;
  for await (const chunk of bytes) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameSize - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameSize) {
        yield { width, height, data: frame };
        frame = new Uint8Array(frameSize);
        filled = 0;
      }
    }
  }
}
