import { toHex } from './boot-keyboard.ts';

/** HID POS barcode scanners (usage page 0x8C) report decoded data directly, not keystrokes. */
export const hidPosUsagePage = 0x8c;

/**
 * Where the fields sit in one input report. Vendors differ (Honeywell, Zebra, Datalogic, Newland …), so this
 * is data, not code: capture a few reports from the real model (`fixtures/hid/<model>/`) and add its layout.
 */
export interface HidPosLayout {
  name: string;
  reportId: number;
  lengthOffset: number;
  dataOffset: number;
  /** bytes of data one report can carry */
  dataCapacity: number;
  symbologyOffset: number;
  symbologyLength: number;
  continuationOffset: number;
  continuationMask: number;
}

/**
 * The layout most scanners follow in HID POS mode (64-byte report): ID 0x02, length, 56 data bytes,
 * a 3-byte AIM symbology id, 2 reserved bytes, and a continuation flag for codes longer than one report.
 * NOT verified against a real device on this machine (no USB here); verify with a capture before relying on it.
 */
export const commonHidPosLayout: HidPosLayout = {
  name: 'common-64',
  reportId: 0x02,
  lengthOffset: 1,
  dataOffset: 2,
  dataCapacity: 56,
  symbologyOffset: 58,
  symbologyLength: 3,
  continuationOffset: 63,
  continuationMask: 0x01,
};

export interface HidPosState {
  bytes: readonly number[];
  reports: readonly string[];
}
export const emptyHidPosState: HidPosState = { bytes: [], reports: [] };

export interface HidPosCode {
  text: string;
  /** AIM symbology identifier such as `]Q1`, or `unknown` when the scanner sends none */
  symbology: string;
  reports: string[];
}

export type HidPosError =
  | { code: 'wrong_report_id'; reportId: number }
  | { code: 'report_too_short'; length: number }
  | { code: 'length_exceeds_capacity'; length: number };

export function stepHidPos(
  layout: HidPosLayout,
  state: HidPosState,
  report: Uint8Array,
): { state: HidPosState; completed?: HidPosCode; error?: HidPosError } {
  if (report[0] !== layout.reportId)
    return { state, error: { code: 'wrong_report_id', reportId: report[0] ?? -1 } };
  if (report.length <= layout.continuationOffset)
    return { state, error: { code: 'report_too_short', length: report.length } };
  const length = report[layout.lengthOffset]!;
  if (length > layout.dataCapacity) return { state, error: { code: 'length_exceeds_capacity', length } };
  const bytes = [...state.bytes, ...report.subarray(layout.dataOffset, layout.dataOffset + length)];
  const reports = [...state.reports, toHex(report)];
  if ((report[layout.continuationOffset]! & layout.continuationMask) !== 0)
    return { state: { bytes, reports } };
  const aim = report.subarray(layout.symbologyOffset, layout.symbologyOffset + layout.symbologyLength);
  const symbology =
    aim.every((b) => b >= 0x20 && b < 0x7f) && aim[0] === 0x5d
      ? Buffer.from(aim).toString('latin1')
      : 'unknown';
  return {
    state: emptyHidPosState,
    // scanners send the code's bytes; QR payloads from Chinese issuers are UTF-8
    completed: { text: new TextDecoder('utf-8').decode(Uint8Array.from(bytes)), symbology, reports },
  };
}

export function decodeHidPosReports(layout: HidPosLayout, reports: Uint8Array[]): HidPosCode[] {
  const codes: HidPosCode[] = [];
  let state = emptyHidPosState;
  for (const report of reports) {
    const step = stepHidPos(layout, state, report);
    state = step.state;
    if (step.completed) codes.push(step.completed);
  }
  return codes;
}
