import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonHidPosLayout, decodeHidPosReports } from '../../src/scanner/hid/hid-pos.ts';
import { hidPosLayoutFromDescriptor, hidPosUsages } from '../../src/scanner/hid/hid-pos-layout.ts';
import { readHidrawReportDescriptor } from '../../src/scanner/hid/hidraw-descriptor.ts';
import { parseReportDescriptor } from '../../src/scanner/hid/report-descriptor.ts';
import { publishedDescriptor, publishedReports } from './published-fixtures.ts';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const honeywell = publishedDescriptor('honeywell-hid-pos');
const usage = (page: number, id: number) => ((page << 16) | id) >>> 0;

describe('report descriptor parser, on published descriptors', () => {
  it('finds every field of Honeywell’s HID POS descriptor where the firmware source puts it', () => {
    const parsed = parseReportDescriptor(honeywell);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const input = parsed.descriptor.fields
      .filter((f) => f.type === 'input')
      .map(({ reportId, bitOffset, bitSize, count, usages, bufferedBytes }) => ({
        reportId,
        bitOffset,
        bitSize,
        count,
        usages,
        bufferedBytes,
      }));
    // checked by hand against usb_report_descrA: 85 02, then 75 08 95 01 (05 01 09 3b) 81 02, …
    expect(input).toEqual([
      { reportId: 2, bitOffset: 0, bitSize: 8, count: 1, usages: [usage(0x01, 0x3b)], bufferedBytes: false },
      {
        reportId: 2,
        bitOffset: 8,
        bitSize: 8,
        count: 3,
        usages: [usage(0x8c, 0xfb), usage(0x8c, 0xfc), usage(0x8c, 0xfd)],
        bufferedBytes: false,
      },
      { reportId: 2, bitOffset: 32, bitSize: 8, count: 56, usages: [usage(0x8c, 0xfe)], bufferedBytes: true },
      {
        reportId: 2,
        bitOffset: 480,
        bitSize: 8,
        count: 2,
        usages: [usage(0xff66, 0x04), usage(0xff66, 0x00)],
        bufferedBytes: false,
      },
      {
        reportId: 2,
        bitOffset: 496,
        bitSize: 1,
        count: 8,
        usages: [usage(0x8c, 0xff)],
        bufferedBytes: false,
      },
    ]);
    const decoded = parsed.descriptor.fields.find((f) => f.usages.includes(hidPosUsages.decodedData));
    expect(decoded?.collections).toEqual([usage(0x8c, 0x02), usage(0x8c, 0x12)]);
    expect(parsed.descriptor.reportLength('input', 2)).toBe(64);
    // trigger (ID 4, 8 one-bit outputs), redirect feature (ID 254), serial data out (ID 253: length + 62 bytes)
    expect(parsed.descriptor.reportLength('output', 4)).toBe(2);
    expect(parsed.descriptor.reportLength('feature', 254)).toBe(2);
    expect(parsed.descriptor.reportLength('output', 253)).toBe(64);
  });

  it('derives Honeywell’s layout: ID 2, count at 1, AIM at 2–4, 56 bytes from 5, continued in bit 0 of 63', () => {
    const derived = hidPosLayoutFromDescriptor(honeywell);
    expect(derived).toEqual({
      ok: true,
      layout: {
        name: 'descriptor-2-64',
        reportId: 2,
        reportLength: 64,
        lengthOffset: 1,
        symbologyOffset: 2,
        symbologyLength: 3,
        dataOffset: 5,
        dataCapacity: 56,
        continuationOffset: 63,
        continuationMask: 0x01,
      },
    });
    expect(derived.ok && { ...derived.layout, name: commonHidPosLayout.name }).toEqual(commonHidPosLayout);
  });

  it('parses the Datalogic GD4400 keyboard descriptor (usage ranges, no report IDs) and finds no HID POS data', () => {
    const descriptor = publishedDescriptor('datalogic-gd4400-keyboard');
    const parsed = parseReportDescriptor(descriptor);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const [modifiers, reserved, keys] = parsed.descriptor.fields.filter((f) => f.type === 'input');
    expect(modifiers).toMatchObject({ reportId: 0, bitOffset: 0, bitSize: 1, count: 8, variable: true });
    expect(modifiers?.usages).toEqual(Array.from({ length: 8 }, (_, i) => usage(0x07, 0xe0 + i)));
    expect(reserved).toMatchObject({ bitOffset: 8, bitSize: 8, count: 1, constant: true });
    expect(keys).toMatchObject({ bitOffset: 16, bitSize: 8, count: 6, variable: false, logicalMaximum: 255 });
    expect(parsed.descriptor.reportLength('input', 0)).toBe(8);
    expect(parsed.descriptor.reportLength('output', 0)).toBe(1);
    expect(hidPosLayoutFromDescriptor(descriptor)).toEqual({
      ok: false,
      error: { code: 'hid_pos_no_decoded_data' },
    });
  });
});

describe('decoding published HID POS reports with the layout from a published descriptor', () => {
  it('joins the Access-IS LSR118 example (60 bytes in two reports) into one code with its AIM id', () => {
    const derived = hidPosLayoutFromDescriptor(honeywell);
    if (!derived.ok) throw new Error(JSON.stringify(derived.error));
    const fixture = publishedReports('access-is-lsr118');
    const codes = decodeHidPosReports(derived.layout, fixture.reports.map(hex));
    expect(codes.map((c) => [c.text, c.symbology])).toEqual([[fixture.expected[0], ']Q0']]);
    expect(codes[0]?.text).toHaveLength(60);
    expect(codes[0]?.reports).toEqual(fixture.reports);
  });
});

describe('malformed descriptors give error values', () => {
  // each case below is SYNTHESIZED: a published descriptor cut or bent, or a few hand-written items
  const cases: [string, Uint8Array, unknown][] = [
    ['empty', new Uint8Array(), { code: 'descriptor_empty' }],
    ['a long item running past the end', hex('fe 10 00 01 02'), { code: 'descriptor_truncated', offset: 0 }],
    ['a long item cut inside its header', hex('05 8c fe 04'), { code: 'descriptor_truncated', offset: 2 }],
    [
      'a short item cut inside its data (Honeywell’s, cut inside 26 ff 00)',
      honeywell.subarray(0, 16),
      { code: 'descriptor_truncated', offset: 14 },
    ],
    [
      'a collection left open (Honeywell’s without its last End Collection)',
      honeywell.subarray(0, honeywell.length - 1),
      { code: 'descriptor_unbalanced_collection', offset: honeywell.length - 1 },
    ],
    [
      'an End Collection with none open',
      Uint8Array.from([...honeywell, 0xc0]),
      { code: 'descriptor_unbalanced_collection', offset: honeywell.length },
    ],
    [
      'a Report Size of 2^32 − 1 bits',
      hex('05 8c 09 02 a1 01 77 ff ff ff ff'),
      { code: 'descriptor_absurd_value', offset: 6, item: 'Report Size', value: 0xffffffff },
    ],
    [
      'a Report Count of 65536',
      hex('05 8c a1 01 97 00 00 01 00'),
      { code: 'descriptor_absurd_value', offset: 4, item: 'Report Count', value: 65536 },
    ],
    [
      'Report ID 0',
      hex('85 00'),
      { code: 'descriptor_absurd_value', offset: 0, item: 'Report ID', value: 0 },
    ],
    [
      'a report of 3 MB (Report Size 256 × Report Count 12288)',
      hex('76 00 01 96 00 30 09 fe 81 02'),
      { code: 'descriptor_absurd_value', offset: 8, item: 'report length in bits', value: 256 * 12288 },
    ],
    ['a Pop with nothing pushed', hex('a4 b4 b4'), { code: 'descriptor_pop_without_push', offset: 2 }],
    ['a reserved item type', hex('05 8c 0c'), { code: 'descriptor_reserved_item', offset: 2, prefix: 0x0c }],
  ];

  for (const [name, bytes, error] of cases)
    it(name, () => {
      expect(parseReportDescriptor(bytes)).toEqual({ ok: false, error });
      expect(hidPosLayoutFromDescriptor(bytes)).toEqual({ ok: false, error });
    });

  it('skips a complete long item and Push/Pop pairs (SYNTHESIZED prefix on Honeywell’s descriptor)', () => {
    const wrapped = Uint8Array.from([0xfe, 0x02, 0x00, 0xaa, 0xbb, 0xa4, 0x75, 0x20, 0xb4, ...honeywell]);
    expect(hidPosLayoutFromDescriptor(wrapped)).toEqual(hidPosLayoutFromDescriptor(honeywell));
  });

  it('refuses Decoded Data that is not whole bytes (SYNTHESIZED: Report Size 7)', () => {
    expect(hidPosLayoutFromDescriptor(hex('05 8c 09 02 a1 01 75 07 95 38 09 fe 81 02 c0'))).toEqual({
      ok: false,
      error: { code: 'hid_pos_field_not_bytes', field: 'Decoded Data', bitOffset: 0, bitSize: 7 },
    });
  });
});

describe('a minimal HID POS descriptor: no report IDs, no Byte Count, no AIM id (SYNTHESIZED)', () => {
  const descriptor = hex('05 8c 09 02 a1 01 15 00 26 ff 00 75 08 95 40 09 fe 82 02 01 c0');

  it('reads data from byte 0 and ends it at the NUL padding', () => {
    const derived = hidPosLayoutFromDescriptor(descriptor);
    if (!derived.ok) throw new Error(JSON.stringify(derived.error));
    expect(derived.layout).toEqual({
      name: 'descriptor-0-64',
      reportId: 0,
      reportLength: 64,
      dataOffset: 0,
      dataCapacity: 64,
      symbologyOffset: 0,
      symbologyLength: 0,
      continuationOffset: 0,
      continuationMask: 0,
    });
    const report = new Uint8Array(64);
    report.set(Buffer.from('HGZ-0042'));
    expect(decodeHidPosReports(derived.layout, [report]).map((c) => [c.text, c.symbology])).toEqual([
      ['HGZ-0042', 'unknown'],
    ]);
  });
});

describe('reading a hidraw node’s descriptor from sysfs', () => {
  it('reads /sys/class/hidraw/<node>/device/report_descriptor, and says why when it cannot', () => {
    const sysfs = mkdtempSync(join(tmpdir(), 'hidraw-'));
    mkdirSync(join(sysfs, 'hidraw3', 'device'), { recursive: true });
    writeFileSync(join(sysfs, 'hidraw3', 'device', 'report_descriptor'), honeywell);
    expect(readHidrawReportDescriptor('/dev/hidraw3', sysfs)).toEqual({ ok: true, bytes: honeywell });
    const missing = readHidrawReportDescriptor('/dev/hidraw9', sysfs);
    expect(missing.ok === false && missing.detail).toMatch(/ENOENT/);
    const macPath = readHidrawReportDescriptor('DevSrvsID:4294971365', sysfs);
    expect(macPath.ok === false && macPath.detail).toMatch(/not a Linux hidraw node/);
  });
});
