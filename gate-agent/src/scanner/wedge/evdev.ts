import type { Keystroke } from './keystroke.ts';

/**
 * `struct input_event` on 64-bit Linux: timeval (8-byte seconds, 8-byte microseconds), u16 type, u16 code,
 * s32 value. Parsed here because the npm evdev packages either need a native build or guess at boundaries.
 * Reading does not grab the device: keys still reach the console. Grabbing needs the EVIOCGRAB ioctl, which
 * node cannot issue without a native addon; give the agent a console-less seat or a udev rule instead.
 */
export const inputEventSize = 24;
const evKey = 0x01;
const keyUp = 0;
const keyDown = 1;

export interface InputEvent {
  at: number;
  type: number;
  code: number;
  value: number;
}

/** Whole records from the buffered bytes, and the bytes of a record cut by a chunk boundary. */
export function parseInputEvents(bytes: Uint8Array): { events: InputEvent[]; rest: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: InputEvent[] = [];
  const whole = bytes.length - (bytes.length % inputEventSize);
  for (let offset = 0; offset < whole; offset += inputEventSize) {
    const seconds = Number(view.getBigInt64(offset, true));
    const micros = Number(view.getBigInt64(offset + 8, true));
    events.push({
      at: seconds * 1000 + micros / 1000,
      type: view.getUint16(offset + 16, true),
      code: view.getUint16(offset + 18, true),
      value: view.getInt32(offset + 20, true),
    });
  }
  return { events, rest: bytes.slice(whole) };
}

/** Linux key codes (input-event-codes.h) → US layout, our own so the OS layout plays no part. */
const rows: [number, string, string][] = [
  [2, '1234567890-=', '!@#$%^&*()_+'],
  [16, 'qwertyuiop[]', 'QWERTYUIOP{}'],
  [30, "asdfghjkl;'`", 'ASDFGHJKL:"~'],
  [43, '\\zxcvbnm,./', '|ZXCVBNM<>?'],
];
const keymap = new Map<number, { char: string; shifted: string }>();
for (const [first, plain, shifted] of rows)
  for (let i = 0; i < plain.length; i++) keymap.set(first + i, { char: plain[i]!, shifted: shifted[i]! });
keymap.set(57, { char: ' ', shifted: ' ' });
const keypad: [number, string][] = [
  [71, '7'],
  [72, '8'],
  [73, '9'],
  [74, '-'],
  [75, '4'],
  [76, '5'],
  [77, '6'],
  [78, '+'],
  [79, '1'],
  [80, '2'],
  [81, '3'],
  [82, '0'],
  [83, '.'],
  [55, '*'],
  [98, '/'],
];
for (const [code, char] of keypad) keymap.set(code, { char, shifted: char });

const keyEnter = 28;
const keyKeypadEnter = 96;
const keyTab = 15;
const keyLeftShift = 42;
const keyRightShift = 54;
const keyCapsLock = 58;

export interface EvdevKeyState {
  shiftDown: number;
  capsLock: boolean;
}
export const initialEvdevKeyState: EvdevKeyState = { shiftDown: 0, capsLock: false };

/** Key events → keystrokes with shift and Caps Lock applied; autorepeat (value 2) and non-key events ignored. */
export function keystrokesFromEvents(
  state: EvdevKeyState,
  events: InputEvent[],
): { state: EvdevKeyState; keystrokes: Keystroke[] } {
  let { shiftDown, capsLock } = state;
  const keystrokes: Keystroke[] = [];
  for (const event of events) {
    if (event.type !== evKey || (event.value !== keyDown && event.value !== keyUp)) continue;
    if (event.code === keyLeftShift || event.code === keyRightShift) {
      shiftDown = Math.max(0, shiftDown + (event.value === keyDown ? 1 : -1));
      continue;
    }
    if (event.value !== keyDown) continue;
    if (event.code === keyCapsLock) capsLock = !capsLock;
    else if (event.code === keyEnter || event.code === keyKeypadEnter)
      keystrokes.push({ terminator: 'enter', at: event.at });
    else if (event.code === keyTab) keystrokes.push({ terminator: 'tab', at: event.at });
    else {
      const meaning = keymap.get(event.code);
      if (!meaning) continue;
      const letter = /[a-z]/i.test(meaning.char);
      const shifted = shiftDown > 0 !== (capsLock && letter);
      keystrokes.push({ char: shifted ? meaning.shifted : meaning.char, at: event.at });
    }
  }
  return { state: { shiftDown, capsLock }, keystrokes };
}

/** Builds records, for fixtures and tests: the inverse of `parseInputEvents`. */
export function encodeInputEvents(events: InputEvent[]): Uint8Array {
  const bytes = new Uint8Array(events.length * inputEventSize);
  const view = new DataView(bytes.buffer);
  events.forEach((event, i) => {
    const offset = i * inputEventSize;
    const micros = Math.round(event.at * 1000);
    view.setBigInt64(offset, BigInt(Math.floor(micros / 1e6)), true);
    view.setBigInt64(offset + 8, BigInt(micros % 1e6), true);
    view.setUint16(offset + 16, event.type, true);
    view.setUint16(offset + 18, event.code, true);
    view.setInt32(offset + 20, event.value, true);
  });
  return bytes;
}
