import { type HidPosLayout, hidPosUsagePage } from './hid-pos.ts';
import { type DescriptorError, parseReportDescriptor, type ReportField } from './report-descriptor.ts';

const barcodeScanner = (id: number) => ((hidPosUsagePage << 16) | id) >>> 0;

/** Bar Code Scanner page usages (USB-IF "HID Point of Sale Usage Tables" 1.02, §3) and Generic Desktop's Byte Count. */
export const hidPosUsages = {
  symbologyIdentifiers: [barcodeScanner(0xfb), barcodeScanner(0xfc), barcodeScanner(0xfd)],
  decodedData: barcodeScanner(0xfe),
  decodeDataContinued: barcodeScanner(0xff),
  byteCount: (0x01 << 16) | 0x3b,
} as const;

export type HidPosLayoutError =
  | DescriptorError
  | { code: 'hid_pos_no_decoded_data' }
  | { code: 'hid_pos_field_not_bytes'; field: string; bitOffset: number; bitSize: number };

export type HidPosLayoutResult = { ok: true; layout: HidPosLayout } | { ok: false; error: HidPosLayoutError };

/** One value of an input report: its usage and where its bits are. */
interface ReportValue {
  usage: number;
  bitOffset: number;
  bitSize: number;
}

/**
 * Reads where a HID POS scanner puts Decoded Data, Byte Count, the AIM identifier and Decode Data Continued, from
 * its report descriptor. Offsets count the report-ID byte node-hid delivers first when the device uses report IDs.
 */
export function hidPosLayoutFromDescriptor(descriptor: Uint8Array): HidPosLayoutResult {
  const parsed = parseReportDescriptor(descriptor);
  if (!parsed.ok) return parsed;
  const inputs = parsed.descriptor.fields.filter((field) => field.type === 'input' && !field.constant);
  const dataField = inputs.find((field) => field.usages.includes(hidPosUsages.decodedData));
  if (!dataField) return { ok: false, error: { code: 'hid_pos_no_decoded_data' } };

  const reportId = dataField.reportId;
  const idBytes = reportId === 0 ? 0 : 1;
  const values = inputs.filter((field) => field.reportId === reportId).flatMap(valuesOf);
  const withUsage = (usage: number) => values.filter((value) => value.usage === usage);

  const data = withUsage(hidPosUsages.decodedData);
  const symbology = hidPosUsages.symbologyIdentifiers.flatMap((usage) => withUsage(usage).slice(0, 1));
  const byteCount = withUsage(hidPosUsages.byteCount)[0];
  const continued = withUsage(hidPosUsages.decodeDataContinued)[0];

  for (const [field, value] of [
    ['Decoded Data', data[0]],
    ['Symbology Identifier', symbology[0]],
    ['Byte Count', byteCount],
  ] as const) {
    if (value && (value.bitSize !== 8 || value.bitOffset % 8 !== 0))
      return { ok: false, error: { code: 'hid_pos_field_not_bytes', field, ...bitsOf(value) } };
  }
  if (continued && (continued.bitOffset % 8) + continued.bitSize > 8)
    return {
      ok: false,
      error: { code: 'hid_pos_field_not_bytes', field: 'Decode Data Continued', ...bitsOf(continued) },
    };

  const byteAt = (value: ReportValue) => value.bitOffset / 8 + idBytes;
  return {
    ok: true,
    layout: {
      name: `descriptor-${reportId}-${parsed.descriptor.reportLength('input', reportId)}`,
      reportId,
      reportLength: parsed.descriptor.reportLength('input', reportId),
      ...(byteCount ? { lengthOffset: byteAt(byteCount) } : {}),
      dataOffset: byteAt(data[0]!),
      dataCapacity: consecutiveBytes(data),
      symbologyOffset: symbology[0] ? byteAt(symbology[0]) : 0,
      symbologyLength: consecutiveBytes(symbology),
      continuationOffset: continued ? Math.floor(continued.bitOffset / 8) + idBytes : 0,
      continuationMask: continued ? (((1 << continued.bitSize) - 1) << (continued.bitOffset % 8)) & 0xff : 0,
    },
  };
}

/**
 * A variable field's value i has usage i (the last usage repeats, HID 1.11 §6.2.2.8); a Buffered Bytes field is
 * one stream under its usage. Array fields carry selectors, not data, so they name nothing here.
 */
function valuesOf(field: ReportField): ReportValue[] {
  if (!field.variable || field.usages.length === 0) return [];
  return Array.from({ length: field.count }, (_, i) => ({
    usage: field.bufferedBytes ? field.usages[0]! : (field.usages[i] ?? field.usages.at(-1)!),
    bitOffset: field.bitOffset + i * field.bitSize,
    bitSize: field.bitSize,
  }));
}

/** How many of the values are whole bytes, one right after the other, from the first. */
function consecutiveBytes(values: ReportValue[]): number {
  let count = 0;
  while (
    count < values.length &&
    values[count]!.bitSize === 8 &&
    values[count]!.bitOffset === values[0]!.bitOffset + count * 8
  )
    count++;
  return count;
}

const bitsOf = (value: ReportValue) => ({ bitOffset: value.bitOffset, bitSize: value.bitSize });
