import { formatLocalIsoDate } from '@liangzheng/domain/time/local-date';

/**
 * How many photo bytes one device (or console user) may upload in a market day. A gate photographs the paper
 * certificates it is shown, a few dozen ~150 KB photos a day; a device pushing megabytes a minute is broken or
 * abused, and is refused `PHOTO_BUDGET_EXCEEDED` until the next day in the market's time zone.
 *
 * Counted per server process, as the rate limits are: a restart starts the day's count again, and with several
 * nodes each counts its own share.
 */
export interface PhotoBudget {
  /** whether `bytes` more still fit in what `actor` may upload on the day of `at` */
  fits(actor: string, bytes: number, at: Date): boolean;
  /** counts `bytes` stored for `actor` on the day of `at` */
  charge(actor: string, bytes: number, at: Date): void;
}

/** The refusal's words, the same for a lot's paper certificates and a repack's unverified sources. */
export const photoBudgetExceeded = {
  code: 'PHOTO_BUDGET_EXCEEDED',
  message: '今日照片上传量已用完，明天再传 / the photo upload allowance for today is used up',
} as const;

/** The bytes base64 photos will take once stored. */
export function photoBytes(photos: readonly (string | null | undefined)[]): number {
  return photos.reduce((sum, photo) => sum + (photo ? Buffer.byteLength(photo, 'base64') : 0), 0);
}

const budgets = new WeakMap<object, PhotoBudget>();

/**
 * The one budget of a running server (keyed by its config object), shared by every route that takes photos: an
 * uploader's day allowance is one, whether spent on a lot's paper certificates or a repack's unverified sources.
 */
export function serverPhotoBudget(config: { photoBytesPerDay: number; timeZone: string }): PhotoBudget {
  let budget = budgets.get(config);
  if (!budget) {
    budget = createPhotoBudget(config.photoBytesPerDay, config.timeZone);
    budgets.set(config, budget);
  }
  return budget;
}

export function createPhotoBudget(bytesPerDay: number, timeZone: string): PhotoBudget {
  let day = '';
  const used = new Map<string, number>();
  const usedOn = (at: Date) => {
    const today = formatLocalIsoDate(at, timeZone);
    if (today !== day) {
      day = today;
      used.clear();
    }
    return used;
  };
  return {
    fits: (actor, bytes, at) => (usedOn(at).get(actor) ?? 0) + bytes <= bytesPerDay,
    charge(actor, bytes, at) {
      const counts = usedOn(at);
      counts.set(actor, (counts.get(actor) ?? 0) + bytes);
    },
  };
}
