import { DEFAULT_TIME_ZONE } from '@liangzheng/domain/time/local-date';

/** A moment as the market's clock shows it (Beijing time), never the browser's or UTC. */
export const marketTime = (iso: string, language: string): string =>
  new Date(iso).toLocaleString(language, { timeZone: DEFAULT_TIME_ZONE, hour12: false });
