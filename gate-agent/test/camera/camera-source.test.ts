import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cameraSource } from '../../src/camera/camera-source.ts';
import {
  ffmpegArgs,
  ffmpegFailureCode,
  ffmpegFrameProvider,
  withoutCredentials,
} from '../../src/camera/ffmpeg-frames.ts';
import { chainDecoders } from '../../src/camera/frame-decoder.ts';
import { replayFrameProvider } from '../../src/camera/replay-frames.ts';
import { zxingJsDecoder } from '../../src/camera/zxing-js-decoder.ts';
import { zxingWasmDecoder } from '../../src/camera/zxing-wasm-decoder.ts';
import { readSchema } from '../../src/read/read.ts';
import type { ReadSource, SourceEvent } from '../../src/read/source-event.ts';
import { type Distortion, type QrVideoResult, qrPng, qrVideo } from '../../src/simulate/qr-video.ts';

const payload = 'https://lz.example.cn/c/9f2c41aa07b3d5e8f1c2a9b0d4e6f7a8';
let dir: string;
let png: string;

const made = <T>(result: QrVideoResult<T>): T => {
  if (!result.ok) throw new Error(`${result.code}: ${result.detail}`);
  return result.value;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lz-camera-'));
  png = made(await qrPng(dir, payload, 2));
});

/** Each video is made once per run: ffmpeg encoding is the slow part of these tests. */
const videos = new Map<string, Promise<string>>();
const video = (distortion: Distortion, seconds: number, fps: number) => {
  const key = `${distortion}/${seconds}/${fps}`;
  if (!videos.has(key)) videos.set(key, qrVideo(png, distortion, { seconds, fps, dir }).then(made));
  return videos.get(key)!;
};

/** Runs a source until it reports `disconnected` `count` times, then stops it. */
async function collect(source: ReadSource, disconnects = 1): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  let seen = 0;
  await new Promise<void>((resolve) =>
    source.start((event) => {
      events.push(event);
      if (event.kind === 'status' && event.status === 'disconnected' && ++seen === disconnects) resolve();
    }),
  );
  await source.stop();
  return events;
}

const decodedFrames = (events: SourceEvent[]) =>
  events.filter((e) => (e.kind === 'read' || e.kind === 'repeat') && e.read.text === payload).length;
const wrongTexts = (events: SourceEvent[]) =>
  events.filter((e) => (e.kind === 'read' || e.kind === 'repeat') && e.read.text !== payload).length;

describe('camera through real ffmpeg on generated videos (10 frames, 2 px modules, 640×480)', () => {
  /** Floors measured on this machine (zxing-wasm decoded 10/10 in each), with margin for codec differences. */
  const floors: [Distortion, number][] = [
    ['clean', 9],
    ['noise', 8],
    ['blur', 8],
    ['rotated', 8],
    ['lowContrast', 8],
  ];
  for (const [distortion, floor] of floors) {
    it(`decodes ≥${floor}/10 frames with zxing-wasm: ${distortion}`, async () => {
      const path = await video(distortion, 2, 5);
      const provider = ffmpegFrameProvider({ kind: 'file', path }, { width: 640, height: 480 });
      const events = await collect(cameraSource(provider, zxingWasmDecoder(), { restart: false }));
      expect(decodedFrames(events)).toBeGreaterThanOrEqual(floor);
      expect(wrongTexts(events)).toBe(0);
    });
  }

  it('reports the first sighting as a read and the rest within 5 s as repeats, with provenance', async () => {
    const path = await video('clean', 2, 5);
    const provider = ffmpegFrameProvider({ kind: 'file', path }, { width: 640, height: 480 });
    const events = await collect(cameraSource(provider, zxingWasmDecoder(), { restart: false }));
    const kinds = events.filter((e) => e.kind !== 'status').map((e) => e.kind);
    expect(kinds[0]).toBe('read');
    expect(kinds.slice(1).every((k) => k === 'repeat')).toBe(true);
    const first = events.find((e) => e.kind === 'read');
    expect(first?.kind === 'read' && readSchema.parse(first.read)).toMatchObject({
      source: 'camera',
      device: `camera:file:${path}`,
      symbology: 'QRCode',
      provenance: { decoder: 'zxing-wasm', frameIndex: 0 },
    });
  });

  it('bounds CPU with ffmpeg’s fps filter: a 25 fps video reaches the decoder at 5 fps', async () => {
    const path = await video('clean', 2, 25);
    const provider = ffmpegFrameProvider({ kind: 'file', path }, { width: 320, height: 240, maxFps: 5 });
    const events = await collect(cameraSource(provider, zxingWasmDecoder(), { restart: false }));
    expect(decodedFrames(events)).toBe(10);
  });

  it('decodes only inside the region of interest', async () => {
    const path = await video('clean', 2, 5);
    const provider = ffmpegFrameProvider({ kind: 'file', path }, { width: 640, height: 480 });
    const corner = { left: 0, top: 0, width: 0.25, height: 0.25 };
    const centre = { left: 0.2, top: 0.1, width: 0.6, height: 0.8 };
    const outside = await collect(
      cameraSource(provider, zxingWasmDecoder(), { restart: false, roi: corner }),
    );
    const inside = await collect(cameraSource(provider, zxingWasmDecoder(), { restart: false, roi: centre }));
    expect(decodedFrames(outside)).toBe(0);
    expect(decodedFrames(inside)).toBe(10);
  });

  it('@zxing/library with the fallback chain also decodes the noisy video', async () => {
    const path = await video('noise', 2, 5);
    const provider = ffmpegFrameProvider({ kind: 'file', path }, { width: 640, height: 480 });
    const decoder = chainDecoders([zxingJsDecoder({ fallbacks: true })]);
    const events = await collect(cameraSource(provider, decoder, { restart: false }));
    expect(decodedFrames(events)).toBeGreaterThanOrEqual(6);
  });
});

describe('camera failures become statuses and restarts with backoff', () => {
  it('a missing device: ffmpeg exits 1, reported as ffmpeg_exited, retried with growing delays', async () => {
    const provider = ffmpegFrameProvider(
      { kind: 'file', path: join(dir, 'no-such.mp4') },
      { width: 64, height: 48 },
    );
    const times: number[] = [];
    const events = await collect(
      cameraSource(provider, zxingWasmDecoder(), {
        restart: true,
        backoff: { initialMs: 30, maxMs: 1000 },
        clock: () => {
          const now = Date.now();
          times.push(now);
          return now;
        },
      }),
      3,
    );
    const disconnects = events.filter((e) => e.kind === 'status');
    expect(disconnects.map((e) => e.kind === 'status' && e.error?.code)).toEqual([
      'ffmpeg_exited',
      'ffmpeg_exited',
      'ffmpeg_exited',
    ]);
    const at = disconnects.map((e) => (e.kind === 'status' ? e.at : 0));
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(55); // second wait is twice the first (30 → 60 ms)
  });

  it('a missing ffmpeg binary is ffmpeg_missing, not a crash', async () => {
    const provider = ffmpegFrameProvider(
      { kind: 'v4l2', device: '/dev/video0' },
      { width: 64, height: 48, ffmpegPath: '/nonexistent/ffmpeg' },
    );
    const events = await collect(cameraSource(provider, zxingWasmDecoder(), { restart: false }));
    expect(events).toMatchObject([
      { kind: 'status', status: 'disconnected', error: { code: 'ffmpeg_missing' } },
    ]);
  });

  it('builds ffmpeg arguments for V4L2 and RTSP (credentials kept out of the device id)', () => {
    expect(
      ffmpegArgs({ kind: 'v4l2', device: '/dev/video0' }, { width: 1280, height: 720, maxFps: 8 }),
    ).toEqual([
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'v4l2', '-i', '/dev/video0'],
      ...['-vf', 'fps=8,scale=1280:720', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    ]);
    const rtsp = ffmpegFrameProvider(
      { kind: 'rtsp', url: 'rtsp://gate:secret@10.0.0.7/stream1' },
      { width: 640, height: 480 },
    );
    expect(rtsp.device).toBe('camera:rtsp://10.0.0.7/stream1');
    expect(
      ffmpegArgs({ kind: 'rtsp', url: 'rtsp://gate:secret@10.0.0.7/stream1' }, { width: 640, height: 480 }),
    ).toEqual(
      expect.arrayContaining([
        '-rtsp_transport',
        'tcp',
        '-timeout',
        '5000000',
        'rtsp://gate:secret@10.0.0.7/stream1',
      ]),
    );
  });

  it('removes credentials from every URL in a text, whatever the password holds', () => {
    expect(
      withoutCredentials(
        'rtsp://admin:p4ss:w0rd@10.0.0.7:554/cam/realmonitor?channel=1&subtype=1: Server returned 404 Not Found\n' +
          '[tcp @ 0x1] Connection to tcp://10.0.0.8:554 failed; rtsps://u:x@cam.local/Streaming/Channels/102',
      ),
    ).toBe(
      'rtsp://10.0.0.7:554/cam/realmonitor?channel=1&subtype=1: Server returned 404 Not Found\n' +
        '[tcp @ 0x1] Connection to tcp://10.0.0.8:554 failed; rtsps://cam.local/Streaming/Channels/102',
    );
  });

  it('names why an RTSP camera failed from ffmpeg’s exit and stderr', () => {
    const camera = { kind: 'rtsp', url: 'rtsp://10.0.0.7/stream1' } as const;
    const file = { kind: 'file', path: '/tmp/a.mp4' } as const;
    const cases: [number, string, string][] = [
      [
        1,
        'rtsp://10.0.0.7/stream1: Server returned 401 Unauthorized (authorization failed)',
        'camera_unauthorized',
      ],
      [1, '[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found', 'camera_not_found'],
      [1, 'rtsp://10.0.0.7/stream1: Connection refused', 'camera_unreachable'],
      [1, 'rtsp://10.0.0.7/stream1: Connection timed out', 'camera_unreachable'],
      [0, '', 'camera_stream_ended'],
      [1, 'Invalid data found when processing input', 'ffmpeg_exited'],
    ];
    expect(cases.map(([exit, stderr]) => ffmpegFailureCode(camera, exit, stderr))).toEqual(
      cases.map((c) => c[2]),
    );
    expect(ffmpegFailureCode(file, 1, 'Connection refused')).toBe('ffmpeg_exited');
  });

  it('replays recorded frames through the same source', async () => {
    const blank = { width: 64, height: 48, data: new Uint8Array(64 * 48).fill(255) };
    const events = await collect(
      cameraSource(replayFrameProvider('camera:replay', [blank, blank]), zxingWasmDecoder(), {
        restart: false,
      }),
    );
    expect(events.map((e) => e.kind === 'status' && e.status)).toEqual(['connected', 'disconnected']);
  });
});
