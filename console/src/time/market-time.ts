import { DEFAULT_TIME_ZONE } from '@liangzheng/domain/time/local-date';

/**
 * Moments as the market's clock shows them (Beijing time), never the browser's zone or UTC: a label printed at
 * 00:30 in Changsha is dated that day on every screen, wherever the screen is. In the console's language, on the
 * 24-hour clock from 00 (`hour12: false` gives 24:30 in English).
 */
const shown = (options: Intl.DateTimeFormatOptions) => (iso: string, language: string) =>
  new Date(iso).toLocaleString(language, { timeZone: DEFAULT_TIME_ZONE, hourCycle: 'h23', ...options });

/** Date and time, e.g. 2026/12/7 00:30:00. */
export const marketTime = shown({});
/** The date alone, e.g. 2026/12/7. */
export const marketDate = shown({ year: 'numeric', month: 'numeric', day: 'numeric' });
/** The time of day alone, e.g. 00:30:00. */
export const marketClock = shown({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
