import { usbKeyMeaning } from './usb-keymap.ts';

/** Left Shift (0x02) or Right Shift (0x20) in the modifier byte. */
const shiftMask = 0x22;
/** Keyboards report "too many keys" by filling every key slot with ErrorRollOver. */
const errorRollOver = 0x01;

export interface BootKeyboardState {
  /** keys down in the last accepted report: a key counts only when newly pressed, so "aa" needs a release */
  pressed: readonly number[];
  text: string;
  /** hex of every report since the last completed code */
  reports: readonly string[];
}

export const emptyBootKeyboardState: BootKeyboardState = { pressed: [], text: '', reports: [] };

export interface CompletedCode {
  text: string;
  terminator: 'enter' | 'tab' | 'idle';
  reports: string[];
}

export type BootReportError = { code: 'bad_report_length'; length: number };

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * Strips the report-ID byte some scanners prefix: a boot report is exactly 8 bytes, so a 9-byte report starts
 * with an ID. `reportId` forces the choice for devices that pad reports.
 */
export function bootReportBody(report: Uint8Array, reportId?: boolean): Uint8Array | BootReportError {
  const prefixed = reportId ?? report.length === 9;
  const body = prefixed ? report.subarray(1) : report;
  if (body.length < 8) return { code: 'bad_report_length', length: report.length };
  return body.subarray(0, 8);
}

/** One report in, possibly one finished code out. Pure: the state is a value. */
export function stepBootKeyboard(
  state: BootKeyboardState,
  report: Uint8Array,
  options: { reportId?: boolean } = {},
): { state: BootKeyboardState; completed?: CompletedCode; error?: BootReportError } {
  const body = bootReportBody(report, options.reportId);
  if ('code' in body) return { state, error: body };
  const reports = [...state.reports, toHex(report)];
  const keys = [...body.subarray(2)].filter((key) => key !== 0);
  if (keys.length > 0 && keys.every((key) => key === errorRollOver)) return { state: { ...state, reports } };
  const shift = ((body[0] ?? 0) & shiftMask) !== 0;
  let text = state.text;
  for (const key of keys) {
    if (state.pressed.includes(key)) continue;
    const meaning = usbKeyMeaning(key);
    if (!meaning) continue;
    if ('terminator' in meaning) {
      if (text.length === 0) continue;
      return {
        state: { pressed: keys, text: '', reports: [] },
        completed: { text, terminator: meaning.terminator, reports },
      };
    }
    text += shift ? meaning.shifted : meaning.char;
  }
  return { state: { pressed: keys, text, reports } };
}

/** Ends a code that came without Enter/Tab (pretix users' complaint): called by the shell after an idle gap. */
export function flushBootKeyboard(state: BootKeyboardState): {
  state: BootKeyboardState;
  completed?: CompletedCode;
} {
  if (state.text.length === 0) return { state: { ...state, reports: [] } };
  return {
    state: { pressed: state.pressed, text: '', reports: [] },
    completed: { text: state.text, terminator: 'idle', reports: [...state.reports] },
  };
}

/** Folds a whole recorded report sequence, for fixtures and replay. */
export function decodeBootReports(
  reports: Uint8Array[],
  options: { reportId?: boolean } = {},
): CompletedCode[] {
  const codes: CompletedCode[] = [];
  let state = emptyBootKeyboardState;
  for (const report of reports) {
    const step = stepBootKeyboard(state, report, options);
    state = step.state;
    if (step.completed) codes.push(step.completed);
  }
  const rest = flushBootKeyboard(state);
  if (rest.completed) codes.push(rest.completed);
  return codes;
}
