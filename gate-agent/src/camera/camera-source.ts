import { type Clock, type Read, systemClock, toIso } from '../read/read.ts';
import { RepeatFilter, repeatWindowMs } from '../read/repeat.ts';
import type { ReadSource, SourceListener } from '../read/source-event.ts';
import type { FrameProvider } from './ffmpeg-frames.ts';
import { crop, type GrayFrame, type RegionOfInterest } from './frame.ts';
import type { FrameDecoder } from './frame-decoder.ts';

export interface CameraSourceOptions {
  /** reopen after the stream ends or fails (live cameras); a test video is read once */
  restart: boolean;
  roi?: RegionOfInterest;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * A live camera that sends no frame for this long (from opening, or since the last frame) is stopped,
   * reported as `camera_stalled` and reopened: ffmpeg itself can wait on a silent stream indefinitely.
   * Defaults to 15 s for restarting (live) sources; a test video has none.
   */
  stallAfterMs?: number;
  clock?: Clock;
}

const defaultBackoff = { initialMs: 1000, maxMs: 30_000 };
const defaultStallAfterMs = 15_000;

/**
 * Frames → decoder → repeat suppression → reads. ffmpeg failing or a camera vanishing becomes a
 * `disconnected` status and a retry with exponential backoff, reset once a frame arrives again.
 */
export function cameraSource(
  provider: FrameProvider,
  decoder: FrameDecoder,
  options: CameraSourceOptions,
): ReadSource {
  const clock = options.clock ?? systemClock;
  const backoff = options.backoff ?? defaultBackoff;
  const stallAfterMs = options.stallAfterMs ?? (options.restart ? defaultStallAfterMs : undefined);
  const repeats = new RepeatFilter(repeatWindowMs.camera);
  let stopping = false;
  let stopCurrent: (() => void) | undefined;
  let wakeFromSleep: (() => void) | undefined;
  let running: Promise<void> | undefined;

  async function run(emit: SourceListener): Promise<void> {
    // a decoder bug on one frame must not end the camera: report it and carry on with the next frame
    const decodeSafely = async (region: GrayFrame, frameIndex: number) => {
      try {
        return await decoder.decode(region);
      } catch (error) {
        emit({
          kind: 'status',
          status: 'connected',
          device: provider.device,
          at: clock(),
          error: {
            code: 'decoder_failed',
            device: provider.device,
            detail: `frame ${frameIndex}: ${String(error)}`,
          },
        });
        return [];
      }
    };
    let delay = backoff.initialMs;
    while (!stopping) {
      const stream = provider.open();
      stopCurrent = stream.stop;
      let frameIndex = 0;
      let stalled = false;
      let watchdog: NodeJS.Timeout | undefined;
      const rearmWatchdog = () => {
        clearTimeout(watchdog);
        if (stallAfterMs === undefined) return;
        watchdog = setTimeout(() => {
          stalled = true;
          stream.stop();
        }, stallAfterMs);
      };
      rearmWatchdog();
      // ffmpeg that ended by itself is left to report why; only a stream abandoned early is stopped
      let drained = false;
      try {
        for await (const frame of stream.frames) {
          if (stopping) break;
          rearmWatchdog();
          if (frameIndex === 0) {
            emit({ kind: 'status', status: 'connected', device: provider.device, at: clock() });
            delay = backoff.initialMs;
          }
          const region = options.roi ? crop(frame, options.roi) : frame;
          for (const symbol of await decodeSafely(region, frameIndex)) {
            const at = clock();
            const read: Read = {
              text: symbol.text,
              source: 'camera',
              device: provider.device,
              symbology: symbol.symbology,
              receivedAt: toIso(at),
              provenance: { decoder: symbol.decoder, frameIndex },
            };
            emit({ kind: repeats.isRepeat(symbol.text, at) ? 'repeat' : 'read', read });
          }
          frameIndex++;
        }
        drained = true;
      } finally {
        clearTimeout(watchdog);
        if (!drained) stream.stop();
      }
      const end = await stream.ended;
      const error = stalled
        ? {
            code: 'camera_stalled' as const,
            device: provider.device,
            detail: `no frame for ${stallAfterMs} ms${end.kind === 'failed' ? `; ${end.error.detail}` : ''}`,
          }
        : end.kind === 'failed'
          ? end.error
          : undefined;
      emit({
        kind: 'status',
        status: 'disconnected',
        device: provider.device,
        at: clock(),
        ...(error ? { error } : {}),
      });
      if (!options.restart || stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeFromSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, backoff.maxMs);
    }
  }

  return {
    start(listener) {
      stopping = false;
      running = run(listener);
    },
    async stop() {
      stopping = true;
      stopCurrent?.();
      wakeFromSleep?.();
      await running;
    },
  };
}
