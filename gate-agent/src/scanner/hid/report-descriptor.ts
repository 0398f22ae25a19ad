/**
 * A USB HID report descriptor parser (HID 1.11 §6.2.2, the short-item grammar; long items are skipped), enough to
 * locate every field of every report: which usages it carries and at which bit of the report it sits. Pure: bytes
 * in, fields or an error value out. It never throws on hostile or damaged bytes.
 */

export type ReportType = 'input' | 'output' | 'feature';

export interface ReportField {
  type: ReportType;
  /** 0 when the descriptor declares no report IDs (then reports carry no ID byte) */
  reportId: number;
  /** bit position within the report's data, after the report-ID byte */
  bitOffset: number;
  /** Report Size: bits per value */
  bitSize: number;
  /** Report Count: number of values */
  count: number;
  /** full 32-bit usages (page << 16 | id) as declared; a variable field's value i has usages[i] or the last one */
  usages: number[];
  logicalMinimum: number;
  logicalMaximum: number;
  constant: boolean;
  variable: boolean;
  /** "Buffered Bytes": the whole field is one byte stream with one usage (Decoded Data is declared so) */
  bufferedBytes: boolean;
  /** the usages of the enclosing collections, outermost first */
  collections: number[];
}

export interface ParsedDescriptor {
  fields: ReportField[];
  /** length in bytes of each report as node-hid delivers it, report-ID byte included when there is one */
  reportLength(type: ReportType, reportId: number): number;
}

export type DescriptorError =
  | { code: 'descriptor_empty' }
  | { code: 'descriptor_truncated'; offset: number }
  | { code: 'descriptor_reserved_item'; offset: number; prefix: number }
  | { code: 'descriptor_unbalanced_collection'; offset: number }
  | { code: 'descriptor_pop_without_push'; offset: number }
  | { code: 'descriptor_absurd_value'; offset: number; item: string; value: number };

export type DescriptorResult =
  | { ok: true; descriptor: ParsedDescriptor }
  | { ok: false; error: DescriptorError };

/**
 * Bounds from the Linux kernel's own parser (drivers/hid/hid-core.c): anything beyond them is a damaged or
 * hostile descriptor, not a scanner. They also keep usage ranges from expanding into millions of entries.
 */
export const descriptorLimits = {
  maxReportSizeBits: 256,
  maxReportCount: 12288,
  maxReportBytes: 16384,
  maxGlobalStackDepth: 16,
  maxCollectionDepth: 64,
} as const;

const longItemPrefix = 0xfe;

interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  reportSize: number;
  reportCount: number;
  reportId: number;
}

type LocalUsage = { usage: number } | { minimum: number; maximum: number };

interface LocalState {
  usages: LocalUsage[];
  pendingMinimum: number | undefined;
}

const emptyGlobal: GlobalState = {
  usagePage: 0,
  logicalMinimum: 0,
  logicalMaximum: 0,
  reportSize: 0,
  reportCount: 0,
  reportId: 0,
};
const emptyLocal = (): LocalState => ({ usages: [], pendingMinimum: undefined });

const mainTags: Record<number, ReportType | 'collection' | 'endCollection'> = {
  8: 'input',
  9: 'output',
  11: 'feature',
  10: 'collection',
  12: 'endCollection',
};

export function parseReportDescriptor(bytes: Uint8Array): DescriptorResult {
  if (bytes.length === 0) return fail({ code: 'descriptor_empty' });
  const fields: ReportField[] = [];
  /** next free bit per report, keyed `type:reportId` */
  const reportBits = new Map<string, number>();
  const globalStack: GlobalState[] = [];
  const collections: number[] = [];
  let global: GlobalState = { ...emptyGlobal };
  let local = emptyLocal();
  let offset = 0;

  while (offset < bytes.length) {
    const prefix = bytes[offset]!;
    if (prefix === longItemPrefix) {
      // long items are reserved for future use: skip them whole, but never past the end
      if (offset + 2 >= bytes.length) return fail({ code: 'descriptor_truncated', offset });
      const end = offset + 3 + bytes[offset + 1]!;
      if (end > bytes.length) return fail({ code: 'descriptor_truncated', offset });
      offset = end;
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 0x03]!;
    const type = (prefix >> 2) & 0x03;
    const tag = prefix >> 4;
    if (offset + 1 + size > bytes.length) return fail({ code: 'descriptor_truncated', offset });
    const data = bytes.subarray(offset + 1, offset + 1 + size);
    const unsigned = readUnsigned(data);
    const itemOffset = offset;
    offset += 1 + size;

    if (type === 3) return fail({ code: 'descriptor_reserved_item', offset: itemOffset, prefix });

    if (type === 1) {
      const step = applyGlobal(global, globalStack, tag, unsigned, readSigned(data), itemOffset);
      if ('code' in step) return fail(step);
      global = step;
      continue;
    }

    if (type === 2) {
      const usage = size === 4 ? unsigned : ((global.usagePage << 16) | unsigned) >>> 0;
      if (tag === 0x0) local.usages.push({ usage });
      else if (tag === 0x1) local.pendingMinimum = usage;
      else if (tag === 0x2) {
        local.usages.push({ minimum: local.pendingMinimum ?? usage, maximum: usage });
        local.pendingMinimum = undefined;
      }
      continue;
    }

    const main = mainTags[tag];
    if (main === 'collection') {
      if (collections.length >= descriptorLimits.maxCollectionDepth)
        return fail(absurd(itemOffset, 'collection depth', collections.length + 1));
      collections.push(firstUsage(local) ?? 0);
    } else if (main === 'endCollection') {
      if (collections.length === 0)
        return fail({ code: 'descriptor_unbalanced_collection', offset: itemOffset });
      collections.pop();
    } else if (main !== undefined) {
      const key = `${main}:${global.reportId}`;
      const bitOffset = reportBits.get(key) ?? 0;
      const bits = bitOffset + global.reportSize * global.reportCount;
      if (bits > descriptorLimits.maxReportBytes * 8)
        return fail(absurd(itemOffset, 'report length in bits', bits));
      reportBits.set(key, bits);
      fields.push({
        type: main,
        reportId: global.reportId,
        bitOffset,
        bitSize: global.reportSize,
        count: global.reportCount,
        usages: expandUsages(local.usages, global.reportCount),
        logicalMinimum: global.logicalMinimum,
        logicalMaximum: global.logicalMaximum,
        constant: (unsigned & 0x01) !== 0,
        variable: (unsigned & 0x02) !== 0,
        bufferedBytes: (unsigned & 0x100) !== 0,
        collections: [...collections],
      });
    }
    // every main item ends the local items that described it
    local = emptyLocal();
  }

  if (collections.length > 0) return fail({ code: 'descriptor_unbalanced_collection', offset: bytes.length });
  const usesReportIds = fields.some((field) => field.reportId !== 0);
  return {
    ok: true,
    descriptor: {
      fields,
      reportLength: (type, reportId) =>
        Math.ceil((reportBits.get(`${type}:${reportId}`) ?? 0) / 8) + (usesReportIds ? 1 : 0),
    },
  };
}

function applyGlobal(
  global: GlobalState,
  stack: GlobalState[],
  tag: number,
  unsigned: number,
  signed: number,
  offset: number,
): GlobalState | DescriptorError {
  switch (tag) {
    case 0x0:
      return { ...global, usagePage: unsigned & 0xffff };
    case 0x1:
      return { ...global, logicalMinimum: signed };
    case 0x2:
      // a maximum written in fewer bytes than its sign bit needs is meant unsigned (0x26 0xff 0x00 is 255)
      return { ...global, logicalMaximum: global.logicalMinimum >= 0 ? unsigned : signed };
    case 0x7:
      if (unsigned > descriptorLimits.maxReportSizeBits) return absurd(offset, 'Report Size', unsigned);
      return { ...global, reportSize: unsigned };
    case 0x8:
      if (unsigned === 0 || unsigned > 0xff) return absurd(offset, 'Report ID', unsigned);
      return { ...global, reportId: unsigned };
    case 0x9:
      if (unsigned > descriptorLimits.maxReportCount) return absurd(offset, 'Report Count', unsigned);
      return { ...global, reportCount: unsigned };
    case 0xa:
      if (stack.length >= descriptorLimits.maxGlobalStackDepth)
        return absurd(offset, 'Push depth', stack.length + 1);
      stack.push(global);
      return global;
    case 0xb:
      return stack.pop() ?? { code: 'descriptor_pop_without_push', offset };
    default:
      // physical extent, unit and exponent do not move any field
      return global;
  }
}

/** Usages for `count` values: ranges are expanded only as far as there are values to name. */
function expandUsages(usages: LocalUsage[], count: number): number[] {
  const out: number[] = [];
  for (const entry of usages) {
    if ('usage' in entry) out.push(entry.usage);
    else
      for (let usage = entry.minimum; usage <= entry.maximum && out.length < Math.max(count, 1); usage++)
        out.push(usage);
  }
  return out;
}

const firstUsage = (local: LocalState): number | undefined => expandUsages(local.usages, 1)[0];

const readUnsigned = (data: Uint8Array): number => data.reduceRight((value, byte) => value * 256 + byte, 0);

function readSigned(data: Uint8Array): number {
  const value = readUnsigned(data);
  const bits = data.length * 8;
  return bits > 0 && value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
}

const absurd = (offset: number, item: string, value: number): DescriptorError => ({
  code: 'descriptor_absurd_value',
  offset,
  item,
  value,
});

const fail = (error: DescriptorError): DescriptorResult => ({ ok: false, error });
