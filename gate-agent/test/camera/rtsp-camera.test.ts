import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTestVectors, testVectorsDirectory } from '@liangzheng/domain';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cameraDecoder } from '../../src/camera/camera-decoder.ts';
import { cameraSource } from '../../src/camera/camera-source.ts';
import { ffmpegFrameProvider } from '../../src/camera/ffmpeg-frames.ts';
import { readSchema } from '../../src/read/read.ts';
import type { ReadSource, SourceErrorCode, SourceEvent } from '../../src/read/source-event.ts';
import { qrVideo } from '../../src/simulate/qr-video.ts';
import { type Credentials, startTestCamera, type TestCamera } from './rtsp-test-camera.ts';

/**
 * The agent's real camera path (ffmpeg over RTSP/TCP → zxing-wasm → repeat suppression) against an IP camera
 * on loopback. Waits are on conditions with generous limits: ffmpeg's start-up and the wait for the stream's
 * next keyframe vary on a loaded machine.
 */
const vectors = loadTestVectors().vectors;
const codeOf = (name: string) => {
  const vector = vectors.find((v) => v.name === name);
  if (!vector) throw new Error(`no test vector ${name}`);
  return { text: vector.text, png: fileURLToPath(new URL(vector.png, testVectorsDirectory)) };
};
const first = codeOf('valid_producer');
const second = codeOf('valid_repack');
const credentials: Credentials = { user: 'gate7', password: 'Sp3cial-pw' };
/** the sub-stream path of a Hikvision camera, as a gate would configure it */
const path = '/Streaming/Channels/102';

const videos: Record<'first' | 'second', string> = { first: '', second: '' };
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lz-rtsp-'));
  // 1 s of 10 fps looped by the pusher: a keyframe every second, so a (re)joining player starts within one
  const made = await Promise.all(
    [first, second].map((code) => qrVideo(code.png, 'clean', { seconds: 1, fps: 10, dir })),
  );
  for (const [index, result] of made.entries()) {
    if (!result.ok) throw new Error(`${result.code}: ${result.detail}`);
    videos[index === 0 ? 'first' : 'second'] = result.value;
  }
});

const running: { sources: ReadSource[]; cameras: TestCamera[] } = { sources: [], cameras: [] };
afterEach(async () => {
  await Promise.all(running.sources.splice(0).map((source) => source.stop()));
  await Promise.all(running.cameras.splice(0).map((camera) => camera.stop()));
});

async function camera(video: string, port?: number) {
  const started = await startTestCamera({ video, path, credentials, port });
  running.cameras.push(started);
  return started;
}

/** The agent's live camera source on `url`, recording every event; backoff and watchdog shortened for the test. */
function watch(url: string) {
  const source = cameraSource(
    ffmpegFrameProvider({ kind: 'rtsp', url }, { width: 640, height: 480, maxFps: 5 }),
    cameraDecoder(),
    { restart: true, backoff: { initialMs: 200, maxMs: 1000 }, stallAfterMs: 4000 },
  );
  const events: SourceEvent[] = [];
  running.sources.push(source);
  source.start((event) => events.push(event));
  return { source, events };
}

async function until(events: SourceEvent[], what: string, done: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}: ${summary(events)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const summary = (events: SourceEvent[]) =>
  events
    .map((e) => (e.kind === 'status' ? `${e.status}${e.error ? `(${e.error.code})` : ''}` : e.kind))
    .join(' ');
const sightings = (events: SourceEvent[], text: string) =>
  events.filter((e) => (e.kind === 'read' || e.kind === 'repeat') && e.read.text === text);
const reads = (events: SourceEvent[], text: string) =>
  events.filter((e) => e.kind === 'read' && e.read.text === text);
const errorCodes = (events: SourceEvent[]) =>
  events.flatMap((e) => (e.kind === 'status' && e.error ? [e.error.code] : []));
const indexOfError = (events: SourceEvent[], code: SourceErrorCode) =>
  events.findIndex((e) => e.kind === 'status' && e.error?.code === code);
const leaksCredentials = (events: SourceEvent[]) =>
  JSON.stringify(events).includes(credentials.password) ||
  JSON.stringify(events).includes(`${credentials.user}:`);

describe('an RTSP IP camera through the agent’s camera path', () => {
  it('reads the code once (the other sightings are repeats), naming the camera without its credentials', async () => {
    const live = await camera(videos.first);
    const { events } = watch(live.url(path, credentials));
    await until(events, 'five sightings of the code', () => sightings(events, first.text).length >= 5);

    expect(reads(events, first.text)).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'status', status: 'connected' });
    const read = reads(events, first.text)[0]!;
    expect(read.kind === 'read' && readSchema.parse(read.read)).toMatchObject({
      source: 'camera',
      device: `camera:rtsp://127.0.0.1:${live.port}${path}`,
      symbology: 'QRCode',
      provenance: { decoder: 'zxing-wasm' },
    });
    expect(events.filter((e) => e.kind === 'read' || e.kind === 'repeat').map((e) => e.read.text)).toEqual(
      sightings(events, first.text).map(() => first.text),
    );
    expect(leaksCredentials(events)).toBe(false);
  }, 40_000);

  it('a frozen camera is reported stalled, a vanished one unreachable; when it is back, reads resume in the same source', async () => {
    const live = await camera(videos.first);
    const { events } = watch(live.url(path, credentials));
    await until(events, 'the first code', () => reads(events, first.text).length === 1);

    await live.freeze();
    await until(events, 'a stalled status', () => errorCodes(events).includes('camera_stalled'));
    await live.stop();
    await until(events, 'an unreachable status', () => errorCodes(events).includes('camera_unreachable'));
    const whileAway = events.length;
    await camera(videos.second, live.port);
    await until(
      events,
      'the next code after the camera came back',
      () => reads(events, second.text).length === 1,
    );

    const stalled = indexOfError(events, 'camera_stalled');
    const unreachable = indexOfError(events, 'camera_unreachable');
    const reconnected = events.findIndex(
      (e, i) => i >= whileAway && e.kind === 'status' && e.status === 'connected',
    );
    expect(stalled).toBeGreaterThan(events.findIndex((e) => e.kind === 'read'));
    expect(events[stalled]).toMatchObject({
      status: 'disconnected',
      device: `camera:rtsp://127.0.0.1:${live.port}${path}`,
      error: { code: 'camera_stalled', detail: expect.stringMatching(/no frame for 4000 ms/) },
    });
    expect(unreachable).toBeGreaterThan(stalled);
    expect(events[unreachable]).toMatchObject({
      error: { detail: expect.stringMatching(/Connection refused/) },
    });
    expect(reconnected).toBeGreaterThan(unreachable);
    expect(events.findIndex((e) => e.kind === 'read' && e.read.text === second.text)).toBeGreaterThan(
      reconnected,
    );
    expect(reads(events, first.text)).toHaveLength(1);
    expect(leaksCredentials(events)).toBe(false);
  }, 60_000);

  it('a wrong path, a wrong password, a closed stream and a refused connection are clear statuses, retried, never a crash', async () => {
    const live = await camera(videos.first);
    const wrongPath = watch(live.url('/Streaming/Channels/901', credentials));
    const wrongPassword = watch(live.url(path, { user: credentials.user, password: 'not-the-password' }));
    const playing = watch(live.url(path, credentials));
    const failures = (events: SourceEvent[]) => events.filter((e) => e.kind === 'status' && e.error).length;
    await until(wrongPath.events, 'two failed attempts', () => failures(wrongPath.events) >= 2);
    await until(wrongPassword.events, 'two failed attempts', () => failures(wrongPassword.events) >= 2);
    await until(playing.events, 'the code', () => reads(playing.events, first.text).length === 1);
    await live.stop();
    await until(playing.events, 'a failed attempt', () => failures(playing.events) >= 1);
    expect(errorCodes(playing.events)[0]).toBe('camera_stream_ended');
    const refused = watch(live.url(path, credentials));
    await until(refused.events, 'two failed attempts', () => failures(refused.events) >= 2);

    expect(errorCodes(wrongPath.events).slice(0, 2)).toEqual(['camera_not_found', 'camera_not_found']);
    expect(errorCodes(wrongPassword.events).slice(0, 2)).toEqual([
      'camera_unauthorized',
      'camera_unauthorized',
    ]);
    expect(errorCodes(refused.events).slice(0, 2)).toEqual(['camera_unreachable', 'camera_unreachable']);
    expect(leaksCredentials(playing.events)).toBe(false);
    for (const { events } of [wrongPath, wrongPassword, refused]) {
      expect(events.every((e) => e.kind === 'status' && e.status === 'disconnected')).toBe(true);
      expect(leaksCredentials(events)).toBe(false);
    }
    expect(JSON.stringify(wrongPassword.events)).not.toContain('not-the-password');
  }, 40_000);
});
