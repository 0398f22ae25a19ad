import type { FrameProvider, FrameStream } from './ffmpeg-frames.ts';
import type { GrayFrame } from './frame.ts';

/** Recorded frames through the same interface as ffmpeg: every open replays them, then ends cleanly. */
export function replayFrameProvider(device: string, frames: GrayFrame[]): FrameProvider {
  return {
    device,
    open(): FrameStream {
      let stopped = false;
      async function* play() {
        for (const frame of frames) {
          if (stopped) return;
          yield frame;
        }
      }
      return {
        frames: play(),
        ended: Promise.resolve({ kind: 'ended' }),
        stop: () => {
          stopped = true;
        },
      };
    },
  };
}
