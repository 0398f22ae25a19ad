import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';

/**
 * The glyphs labels are set in. By default Noto Sans SC from the @fontsource/noto-sans-sc package, so a fresh
 * `npm ci` prints: no system font, no FONT_MISSING. LIANGZHENG_CJK_FONT names one font file to use instead
 * (`path`, or `path#PostScriptName` for a .ttc collection), for every character.
 *
 * Fontsource ships Noto Sans SC cut into ~100 files by unicode-range (unicode.json), the way browsers load it.
 * Together they hold the whole font (the single "chinese-simplified" file lacks common produce names such as 蕹
 * and 藠), so a text is set as runs, each in the slice that holds its characters. pdfkit embeds only the glyphs
 * used, so a label stays a few tens of kilobytes.
 *
 * The .woff files are used, not .woff2: fontkit decodes both, but subsetting a WOFF2 font embedded all 1.6 MB of
 * it, and fontkit inflates WOFF tables with a slow pure-JS inflate (seconds per label), so each slice is turned
 * into a plain sfnt with node's zlib once and kept.
 */
export type FontWeight = 400 | 700;

/** A font pdfkit can register: an sfnt buffer, or a file path (and the font's name inside a collection). */
export interface FontFace {
  name: string;
  source: Buffer | string;
  family?: string;
}

export interface FontRun {
  face: FontFace;
  text: string;
}

export interface LabelFont {
  /** `text` cut into runs that one face each can set */
  runs(text: string, weight: FontWeight): FontRun[];
}

const require = createRequire(import.meta.url);
const fontsource = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));

interface Slice {
  key: string;
  ranges: [number, number][];
}

/** `U+4e00-4e0f,U+3000` → [[0x4e00, 0x4e0f], [0x3000, 0x3000]] */
function parseUnicodeRange(css: string): [number, number][] {
  return css.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    const from = Number.parseInt(lo!, 16);
    return [from, hi ? Number.parseInt(hi, 16) : from];
  });
}

function loadSlices(): Slice[] {
  const table = JSON.parse(readFileSync(path.join(fontsource, 'unicode.json'), 'utf8')) as Record<
    string,
    string
  >;
  return Object.entries(table).map(([key, ranges]) => ({
    key: key.replace(/^\[(\d+)\]$/, '$1'),
    ranges: parseUnicodeRange(ranges),
  }));
}

/** WOFF 1.0 (W3C, 2012) back to the sfnt it wraps: inflate each table and write a plain table directory. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compressed = woff.readUInt32BE(entry + 8);
    const original = woff.readUInt32BE(entry + 12);
    const stored = woff.subarray(offset, offset + compressed);
    return {
      tag: woff.subarray(entry, entry + 4),
      checksum: woff.readUInt32BE(entry + 16),
      data: compressed < original ? inflateSync(stored) : stored,
    };
  });
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * count);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(count, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(count * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, i) => {
    const record = 12 + 16 * i;
    table.tag.copy(header, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    const padding = Buffer.alloc((4 - (table.data.length % 4)) % 4);
    parts.push(table.data, padding);
    offset += table.data.length + padding.length;
  });
  return Buffer.concat(parts);
}

/** Noto Sans SC from the fontsource slices, each inflated on first use and kept for the process. */
function notoSansSc(): LabelFont {
  const slices = loadSlices();
  const fallback = slices.find((s) => s.key === 'latin')!;
  const faces = new Map<string, FontFace>();

  const sliceOf = (codePoint: number): Slice =>
    slices.find((s) => s.ranges.some(([lo, hi]) => codePoint >= lo && codePoint <= hi)) ?? fallback;

  function faceOf(slice: Slice, weight: FontWeight): FontFace {
    const name = `NotoSansSC-${slice.key}-${weight}`;
    let face = faces.get(name);
    if (!face) {
      const file = path.join(fontsource, 'files', `noto-sans-sc-${slice.key}-${weight}-normal.woff`);
      face = { name, source: woffToSfnt(readFileSync(file)) };
      faces.set(name, face);
    }
    return face;
  }

  return {
    runs(text, weight) {
      const runs: FontRun[] = [];
      let current: { slice: Slice; text: string } | undefined;
      for (const char of text) {
        const slice = sliceOf(char.codePointAt(0)!);
        if (current?.slice === slice) current.text += char;
        else {
          if (current) runs.push({ face: faceOf(current.slice, weight), text: current.text });
          current = { slice, text: char };
        }
      }
      if (current) runs.push({ face: faceOf(current.slice, weight), text: current.text });
      return runs;
    },
  };
}

/** One operator-chosen font file for everything (LIANGZHENG_CJK_FONT). */
function singleFont(spec: string): LabelFont {
  const [file, family] = spec.split('#');
  const face: FontFace = { name: 'LabelFont', source: file!, family };
  return { runs: (text) => (text ? [{ face, text }] : []) };
}

let bundled: LabelFont | undefined;

/** The label font: the configured file when there is one, else the bundled Noto Sans SC. */
export function labelFont(override: string | undefined): LabelFont {
  if (override) return singleFont(override);
  bundled ??= notoSansSc();
  return bundled;
}
