import type { Read } from './read.ts';

export const sourceErrorCodes = [
  'device_open_failed',
  'device_read_failed',
  'device_enumeration_failed',
  /** connected, but the HID POS report layout is the common fallback: the scanner's descriptor was no use */
  'hid_pos_layout_fallback',
  'evdev_read_failed',
  'tty_unavailable',
  'ffmpeg_missing',
  'ffmpeg_exited',
  /** an IP camera refused the connection, or did not answer in time */
  'camera_unreachable',
  /** the camera has no stream at that path (RTSP 404) */
  'camera_not_found',
  /** the camera refused the user name or password (RTSP 401) */
  'camera_unauthorized',
  /** a live camera closed its stream */
  'camera_stream_ended',
  /** no frame for longer than the watchdog allows: the stream is stopped and reopened */
  'camera_stalled',
  'frame_truncated',
  'decoder_failed',
] as const;
export type SourceErrorCode = (typeof sourceErrorCodes)[number];

export interface SourceError {
  code: SourceErrorCode;
  device: string;
  /** the underlying library's message or ffmpeg's last stderr line, for the log only */
  detail: string;
}

export type SourceStatus = 'connected' | 'disconnected';

/**
 * What an input emits. A `repeat` is a read of the same text inside the suppression window
 * (pretix: 2.5 s hardware, 5 s camera): kept for the log, never to be judged as a new scan.
 */
export type SourceEvent =
  | { kind: 'read'; read: Read }
  | { kind: 'repeat'; read: Read }
  | { kind: 'status'; status: SourceStatus; device: string; at: number; error?: SourceError };

export type SourceListener = (event: SourceEvent) => void;

/** Every input (HID, wedge, camera, replay) has this shape; the agent only ever sees this. */
export interface ReadSource {
  start(listener: SourceListener): void;
  stop(): Promise<void>;
}

/** Adapts a source to `for await`, ending when the signal aborts. */
export async function* sourceEvents(source: ReadSource, signal: AbortSignal): AsyncGenerator<SourceEvent> {
  const pending: SourceEvent[] = [];
  let wake: (() => void) | undefined;
  source.start((event) => {
    pending.push(event);
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
  try {
    while (!signal.aborted) {
      const next = pending.shift();
      if (next) {
        yield next;
        continue;
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
      wake = undefined;
    }
  } finally {
    await source.stop();
  }
}
