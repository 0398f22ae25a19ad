import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/read/source-event.ts';
import {
  encodeInputEvents,
  initialEvdevKeyState,
  inputEventSize,
  keystrokesFromEvents,
  parseInputEvents,
} from '../../src/scanner/wedge/evdev.ts';
import { evdevInput } from '../../src/scanner/wedge/keystroke-input.ts';
import { wedgeSource } from '../../src/scanner/wedge/wedge-source.ts';

const fixtureDir = join(import.meta.dirname, '../../fixtures/evdev/synthetic-wedge-scanner');
const expected = JSON.parse(readFileSync(join(fixtureDir, 'session.json'), 'utf8')) as { scans: string[] };

/** One record as the kernel writes it on x86-64, built by hand: 2026-05-17 04:00:00.250 UTC, KEY_A down. */
const keyADown = Uint8Array.from([
  ...[0x40, 0x3d, 0x09, 0x6a, 0, 0, 0, 0], // tv_sec 1778990400 little-endian
  ...[0x90, 0xd0, 0x03, 0, 0, 0, 0, 0], // tv_usec 250000
  ...[0x01, 0x00], // EV_KEY
  ...[0x1e, 0x00], // KEY_A
  ...[0x01, 0x00, 0x00, 0x00], // pressed
]);

describe('evdev input_event parsing', () => {
  it('reads a hand-built 24-byte record', () => {
    const { events, rest } = parseInputEvents(keyADown);
    expect(events).toEqual([{ at: 1778990400250, type: 1, code: 30, value: 1 }]);
    expect(rest).toHaveLength(0);
  });

  it('keeps a record cut by a chunk boundary for the next chunk', () => {
    const two = encodeInputEvents([
      { at: 1000, type: 1, code: 30, value: 1 },
      { at: 1003, type: 1, code: 30, value: 0 },
    ]);
    const first = parseInputEvents(two.subarray(0, 30));
    expect(first.events).toHaveLength(1);
    expect(first.rest).toHaveLength(30 - inputEventSize);
    const joined = new Uint8Array([...first.rest, ...two.subarray(30)]);
    expect(parseInputEvents(joined).events).toEqual([{ at: 1003, type: 1, code: 30, value: 0 }]);
  });

  it('applies Shift and Caps Lock with our US keymap, ignoring autorepeat, MSC and SYN events', () => {
    const key = (code: number, value: number, at: number) => ({ at, type: 1, code, value });
    const { keystrokes } = keystrokesFromEvents(initialEvdevKeyState, [
      { at: 0, type: 4, code: 4, value: 0x70004 },
      key(30, 1, 1),
      key(30, 2, 2),
      key(30, 0, 3), // a (autorepeat ignored)
      key(42, 1, 4),
      key(2, 1, 5),
      key(2, 0, 6),
      key(30, 1, 7),
      key(30, 0, 8),
      key(42, 0, 9), // ! A
      key(58, 1, 10),
      key(58, 0, 11),
      key(48, 1, 12),
      key(3, 1, 13), // Caps: B 2
      key(42, 1, 14),
      key(48, 1, 15),
      key(42, 0, 16), // Caps+Shift: b
      key(28, 1, 17),
      key(15, 1, 18),
      { at: 19, type: 0, code: 0, value: 0 },
    ]);
    expect(keystrokes.map((k) => ('char' in k ? k.char : `<${k.terminator}>`)).join('')).toBe(
      'a!AB2b<enter><tab>',
    );
  });
});

describe('evdev wedge source on recorded bytes', () => {
  it('reads a recorded event stream through the real file reader and finds every scan', async () => {
    const source = wedgeSource(evdevInput(join(fixtureDir, 'session.bin')), {
      clock: () => 1_780_000_000_000,
    });
    const events: SourceEvent[] = [];
    await new Promise<void>((resolve) =>
      source.start((e) => {
        events.push(e);
        if (e.kind === 'status' && e.status === 'disconnected') resolve();
      }),
    );
    await source.stop();
    const reads = events.flatMap((e) => (e.kind === 'read' ? [e.read] : []));
    expect(reads.map((r) => r.text)).toEqual(expected.scans);
    expect(reads.every((r) => r.device.startsWith('evdev:') && r.source === 'wedge')).toBe(true);
  });

  it('reports a missing device node as a status with a code', async () => {
    const source = wedgeSource(evdevInput('/dev/input/event-missing'));
    const status = await new Promise<SourceEvent>((resolve) =>
      source.start((e) => {
        if (e.kind === 'status' && e.status === 'disconnected') resolve(e);
      }),
    );
    await source.stop();
    expect(status).toMatchObject({ kind: 'status', error: { code: 'evdev_read_failed' } });
  });
});
