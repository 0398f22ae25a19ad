import type { Journal } from '../journal/journal.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock off by a fixed amount: how a gate PC with a wrong clock looks to the agent (simulate, fault tests). */
export function skewedClock(skewMs: number, base: Clock = systemClock): Clock {
  return { now: () => new Date(base.now().getTime() + skewMs) };
}

const offsetKey = 'server_clock_offset_ms';
/** HTTP Date headers have one-second resolution; smaller corrections are noise. */
const resolutionMs = 1500;

/**
 * The gate PC's clock corrected to the server's, learnt from the Date header of every server answer.
 * The offset is journaled, so verdicts stay right after a restart while still offline.
 */
export class ServerClock implements Clock {
  #offsetMs: number;
  readonly #local: Clock;
  readonly #journal: Journal;

  constructor(local: Clock, journal: Journal) {
    this.#local = local;
    this.#journal = journal;
    this.#offsetMs = Number(journal.getMeta(offsetKey) ?? 0);
  }

  now(): Date {
    return new Date(this.#local.now().getTime() + this.#offsetMs);
  }

  local(): Date {
    return this.#local.now();
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** `dateHeader` from a response to a request sent at local `sentAt` and answered at local `answeredAt`. */
  observeDateHeader(dateHeader: string | null | undefined, sentAt: Date, answeredAt: Date): void {
    if (!dateHeader) return;
    const serverMs = Date.parse(dateHeader);
    // The header truncates to the second, so the true server time is on average half a second later.
    if (!Number.isNaN(serverMs)) this.observe(serverMs + 500, sentAt, answeredAt);
  }

  /** A server timestamp taken while handling a request sent at local `sentAt`, answered at `answeredAt`. */
  observe(serverMs: number, sentAt: Date, answeredAt: Date): void {
    if (!Number.isFinite(serverMs)) return;
    const localMidpoint = (sentAt.getTime() + answeredAt.getTime()) / 2;
    const offset = Math.round(serverMs - localMidpoint);
    if (Math.abs(offset - this.#offsetMs) < resolutionMs) return;
    this.#offsetMs = offset;
    this.#journal.setMeta(offsetKey, String(offset));
  }
}
