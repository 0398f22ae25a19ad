import type { CompiledPlatform } from '../trust/trust-index.ts';
import type { CodeReading } from './code-reading.ts';

/**
 * Codes of other systems. They are recognised so the gate can route them to manual review, never accepted:
 * none of them can be verified offline.
 */
type OtherReading = Exclude<CodeReading, { kind: 'liangzheng' }>;

/** GB/T 2260 province-level prefixes (including Taiwan, Hong Kong, Macao). */
const provinces = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82,
]);

const nationalTracePattern = /^(\d{6})(\d{3})(\d{2})(\d{2})(\d{2})(\d{7})$/;
const serialPattern = /^[A-Z0-9][A-Z0-9-]{6,38}[A-Z0-9]$/i;

function calendarDate(yy: string, mm: string, dd: string): string | undefined {
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${mm}-${dd}`;
}

/**
 * The 22-digit national traceability number read as region(6) + 3 digits + yymmdd + serial(7). That reading is
 * an inference from one observed code (notes/domain.md), so only plausible ones are accepted as such.
 */
export function readNationalTrace(
  text: string,
): Extract<OtherReading, { kind: 'national_trace' }> | undefined {
  const match = nationalTracePattern.exec(text);
  if (!match) return undefined;
  const [, regionCode, , yy, mm, dd, serial] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!provinces.has(Number(regionCode.slice(0, 2)))) return undefined;
  const date = calendarDate(yy, mm, dd);
  if (!date) return undefined;
  return { kind: 'national_trace', code: text, regionCode, date, serial };
}

export function readForeignUrl(
  text: string,
  platforms: readonly CompiledPlatform[],
): Extract<OtherReading, { kind: 'foreign_url' }> | undefined {
  for (const platform of platforms) {
    const match = platform.pattern.exec(text);
    if (!match) continue;
    const id = match.groups?.id ?? match[1] ?? match[0];
    return { kind: 'foreign_url', platform: platform.name, id };
  }
  return undefined;
}

/** Bare certificate serials such as `HGZ20260517-0001`: 8–40 letters, digits and inner hyphens, with a digit. */
export function readSerial(text: string): Extract<OtherReading, { kind: 'serial' }> | undefined {
  return serialPattern.test(text) && /\d/.test(text) ? { kind: 'serial', serial: text } : undefined;
}

export function readOtherCode(text: string, platforms: readonly CompiledPlatform[]): OtherReading {
  return (
    readForeignUrl(text, platforms) ?? readNationalTrace(text) ?? readSerial(text) ?? { kind: 'unknown' }
  );
}
