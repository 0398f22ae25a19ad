import { toHex } from './boot-keyboard.ts';

/** HID POS barcode scanners (usage page 0x8C) report decoded data directly, not keystrokes. */
export const hidPosUsagePage = 0x8c;

/**
 * Where the fields sit in one input report, in bytes from the start of the report as node-hid delivers it (the
 * report-ID byte, when the device uses report IDs, is byte 0). Vendors differ, so the layout is read from the
 * scanner's own report descriptor when it is opened (`hid-pos-layout.ts`); this type is what that yields.
 */
export interface HidPosLayout {
  name: string;
  /** 0 when the device sends no report-ID byte */
  reportId: number;
  /** bytes in one report, report-ID byte included */
  reportLength: number;
  /** the Byte Count field; absent when the scanner pads the data with NULs instead */
  lengthOffset?: number;
  dataOffset: number;
  /** bytes of data one report can carry */
  dataCapacity: number;
  /** the AIM symbology identifier (Symbology Identifier 1–3); length 0 when the scanner sends none */
  symbologyOffset: number;
  symbologyLength: number;
  /** the Decode Data Continued bit; mask 0 when the scanner never splits a code */
  continuationOffset: number;
  continuationMask: number;
}

/**
 * The fallback when a scanner's descriptor cannot be read or parsed: the 64-byte report every published source
 * found agrees on (Honeywell's HID POS firmware descriptor, Honeywell's host library and Access-IS's manuals;
 * see test/scanner/fixtures/hid/): ID 0x02, Byte Count, the 3-byte AIM identifier, 56 data bytes, 2 vendor
 * bytes (Honeywell's Code ID), and Decode Data Continued in bit 0 of byte 63.
 */
export const commonHidPosLayout: HidPosLayout = {
  name: 'common-64',
  reportId: 0x02,
  reportLength: 64,
  lengthOffset: 1,
  symbologyOffset: 2,
  symbologyLength: 3,
  dataOffset: 5,
  dataCapacity: 56,
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
  if (layout.reportId !== 0 && report[0] !== layout.reportId)
    return { state, error: { code: 'wrong_report_id', reportId: report[0] ?? -1 } };
  if (report.length < layout.reportLength)
    return { state, error: { code: 'report_too_short', length: report.length } };
  const data = report.subarray(layout.dataOffset, layout.dataOffset + layout.dataCapacity);
  const length =
    layout.lengthOffset === undefined ? withoutTrailingNuls(data).length : report[layout.lengthOffset]!;
  if (length > layout.dataCapacity) return { state, error: { code: 'length_exceeds_capacity', length } };
  const bytes = [...state.bytes, ...data.subarray(0, length)];
  const reports = [...state.reports, toHex(report)];
  if ((report[layout.continuationOffset]! & layout.continuationMask) !== 0)
    return { state: { bytes, reports } };
  const aim = report.subarray(layout.symbologyOffset, layout.symbologyOffset + layout.symbologyLength);
  const symbology =
    aim.length > 0 && aim.every((b) => b >= 0x20 && b < 0x7f) && aim[0] === 0x5d
      ? Buffer.from(aim).toString('latin1')
      : 'unknown';
  return {
    state: emptyHidPosState,
    // scanners send the code's bytes; QR payloads from Chinese issuers are UTF-8
    completed: { text: new TextDecoder('utf-8').decode(Uint8Array.from(bytes)), symbology, reports },
  };
}

function withoutTrailingNuls(data: Uint8Array): Uint8Array {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return data.subarray(0, end);
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
