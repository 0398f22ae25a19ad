/**
 * Dates people read (开具日期 on a label, the public page, an export) are the market's calendar day, not UTC's:
 * a certificate issued at 00:30 in Changsha is dated that day, although it is still the day before in UTC.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the platform knows this IANA time zone name (e.g. Asia/Shanghai, Asia/Urumqi). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function localDateTime(instant: Date | string, timeZone: string): LocalDateTime {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026年3月15日: the calendar day of `instant` in `timeZone`, as the certificate template writes it. */
export function formatLocalDate(instant: Date | string, timeZone: string): string {
  const d = localDateTime(instant, timeZone);
  return `${d.year}年${d.month}月${d.day}日`;
}

/** 2026-03-15: the same day in ISO form, for narrow printer fonts and file names. */
export function formatLocalIsoDate(instant: Date | string, timeZone: string): string {
  const d = localDateTime(instant, timeZone);
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/**
 * The local wall-clock time as a Date whose UTC fields read that time: what a spreadsheet cell needs, since a
 * spreadsheet date has no zone and shows its UTC fields.
 */
export function wallClockDate(instant: Date | string, timeZone: string): Date {
  const d = localDateTime(instant, timeZone);
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}
