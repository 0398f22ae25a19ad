import { spawn } from 'node:child_process';
import type { SourceError, SourceErrorCode } from '../read/source-event.ts';
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

/** `rtsp://user:pass@host/…` → `rtsp://host/…`, wherever a URL appears: camera passwords stay out of events and logs. */
export function withoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1');
}

export function cameraDeviceId(input: CameraInput): string {
  if (input.kind === 'v4l2') return `camera:${input.device}`;
  if (input.kind === 'rtsp') return `camera:${withoutCredentials(input.url)}`;
  return `camera:file:${input.path}`;
}

/**
 * How long ffmpeg waits on the camera's socket (connect and each read). Without it a camera that vanishes
 * without closing the connection keeps ffmpeg waiting forever; with it, ffmpeg reports "Connection timed out".
 */
export const rtspSocketTimeoutMs = 5000;

/** Why ffmpeg ended, from its exit and stderr, in the words a gate's staff can act on. */
export function ffmpegFailureCode(
  input: CameraInput,
  exitCode: number | null,
  stderr: string,
): SourceErrorCode {
  if (input.kind !== 'rtsp') return 'ffmpeg_exited';
  if (/\b401\b|Unauthorized/i.test(stderr)) return 'camera_unauthorized';
  if (/\b404\b|Not Found/i.test(stderr)) return 'camera_not_found';
  if (
    /Connection refused|Connection timed out|No route to host|Network is unreachable|Host is down/i.test(
      stderr,
    )
  )
    return 'camera_unreachable';
  if (exitCode === 0) return 'camera_stream_ended';
  return 'ffmpeg_exited';
}

export function ffmpegArgs(input: CameraInput, options: CaptureOptions): string[] {
  const source =
    input.kind === 'v4l2'
      ? ['-f', 'v4l2', '-i', input.device]
      : input.kind === 'rtsp'
        ? ['-rtsp_transport', 'tcp', '-timeout', String(rtspSocketTimeoutMs * 1000), '-i', input.url]
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
    open: () => spawnFrames(input, options, device),
  };
}

/** ffmpeg stuck in a socket read finishes that read before it honours SIGTERM; past this it is killed. */
const stopGraceMs = 1000;

function spawnFrames(input: CameraInput, options: CaptureOptions, device: string): FrameStream {
  const child = spawn(options.ffmpegPath ?? 'ffmpeg', ffmpegArgs(input, options), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopRequested = false;
  let exited = false;
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-4000);
  });
  /** the last lines of stderr, whole lines only so no URL is cut before its credentials are removed */
  const lastLines = () => {
    const whole = stderrTail.length < 4000 ? stderrTail : stderrTail.slice(stderrTail.indexOf('\n') + 1);
    return withoutCredentials(whole).trim().slice(-500);
  };
  const ended = new Promise<StreamEnd>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        kind: 'failed',
        error: {
          code: error.code === 'ENOENT' ? 'ffmpeg_missing' : 'ffmpeg_exited',
          device,
          detail: withoutCredentials(error.message),
        },
      }),
    );
    child.once('close', (exitCode, signal) => {
      exited = true;
      const stderr = lastLines();
      const code = ffmpegFailureCode(input, exitCode, stderr);
      if (stopRequested || (exitCode === 0 && code !== 'camera_stream_ended')) resolve({ kind: 'ended' });
      else
        resolve({ kind: 'failed', error: { code, device, detail: `exit ${exitCode ?? signal}: ${stderr}` } });
    });
  });
  return {
    frames: chunkFrames(child.stdout, options.width, options.height),
    ended,
    stop: () => {
      if (stopRequested || exited) return;
      stopRequested = true;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      void ended.then(() => clearTimeout(kill));
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
