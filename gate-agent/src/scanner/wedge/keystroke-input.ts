import { createReadStream } from 'node:fs';
import type { Clock } from '../../read/read.ts';
import type { SourceError } from '../../read/source-event.ts';
import { initialEvdevKeyState, keystrokesFromEvents, parseInputEvents } from './evdev.ts';
import type { Keystroke } from './keystroke.ts';

/** Where keystrokes come from: an evdev node, a raw-mode TTY, or a recording. */
export interface KeystrokeInput {
  readonly device: string;
  start(onKeys: (keys: Keystroke[]) => void, onEnd: (error?: SourceError) => void): void;
  stop(): void;
}

/**
 * `/dev/input/eventN` (or a file of recorded records). Needs read access to the node (udev rule). The kernel
 * timestamps each event, so inter-key timing is exact even when node reads several records at once.
 */
export function evdevInput(path: string): KeystrokeInput {
  const device = `evdev:${path}`;
  let stream: ReturnType<typeof createReadStream> | undefined;
  return {
    device,
    start(onKeys, onEnd) {
      let pending: Uint8Array = new Uint8Array(0);
      let keyState = initialEvdevKeyState;
      stream = createReadStream(path);
      stream.on('data', (chunk) => {
        const bytes = new Uint8Array(pending.length + chunk.length);
        bytes.set(pending);
        bytes.set(chunk as Buffer, pending.length);
        const parsed = parseInputEvents(bytes);
        pending = parsed.rest;
        const step = keystrokesFromEvents(keyState, parsed.events);
        keyState = step.state;
        if (step.keystrokes.length > 0) onKeys(step.keystrokes);
      });
      stream.on('error', (error) => onEnd({ code: 'evdev_read_failed', device, detail: error.message }));
      stream.on('end', () => onEnd());
    },
    stop() {
      stream?.destroy();
    },
  };
}

/**
 * A TTY in raw mode (a scanner on the agent's console). Text arrives already mapped by the OS layout, hence
 * calibration; characters in one chunk share its arrival time, which only makes a scanner look faster.
 */
export function ttyInput(stream: NodeJS.ReadStream, clock: Clock, name = 'stdin'): KeystrokeInput {
  const device = `tty:${name}`;
  let listener: ((chunk: Buffer) => void) | undefined;
  return {
    device,
    start(onKeys, onEnd) {
      if (!stream.isTTY) {
        onEnd({ code: 'tty_unavailable', device, detail: 'not a TTY' });
        return;
      }
      stream.setRawMode(true);
      listener = (chunk) => {
        const at = clock();
        const keys: Keystroke[] = [];
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') keys.push({ terminator: 'enter', at });
          else if (char === '\t') keys.push({ terminator: 'tab', at });
          else if (char === '\u0003') {
            // raw mode swallows Ctrl-C's SIGINT: treat it as the operator closing the input
            onEnd();
            return;
          } else if (char >= ' ') keys.push({ char, at });
        }
        if (keys.length > 0) onKeys(keys);
      };
      stream.on('data', listener);
      stream.resume();
    },
    stop() {
      if (listener) stream.off('data', listener);
      if (stream.isTTY) stream.setRawMode(false);
      stream.pause();
    },
  };
}

/** Plays recorded keystrokes (with their original timings) as one delivery, then ends. */
export function replayKeystrokes(device: string, keys: Keystroke[]): KeystrokeInput {
  let stopped = false;
  return {
    device,
    start(onKeys, onEnd) {
      queueMicrotask(() => {
        if (stopped) return;
        onKeys(keys);
        onEnd();
      });
    },
    stop() {
      stopped = true;
    },
  };
}
