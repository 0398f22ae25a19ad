import {
  applySnapshotDelta,
  buildTrustIndex,
  type Ed25519,
  fromBase64Url,
  openSignedDelta,
  openSignedSnapshot,
  openTrustCurrent,
  openTrustRollback,
  type SignedDocument,
  TrustAnswer,
  type TrustFailure,
  type TrustSnapshot,
} from '@liangzheng/domain';
import { z } from 'zod';
import type { Journal } from '../journal/journal.ts';
import type { TrustState } from '../verdict/provisional.ts';
import type { ServerClock } from './server-clock.ts';

export type TrustErrorCode =
  | 'UNREACHABLE'
  | 'UNAUTHORIZED'
  | 'BAD_SIGNATURE'
  | 'MALFORMED'
  | 'NO_ROOT_KEY'
  /** the snapshot or increment is past its expiry */
  | 'EXPIRED'
  /** a snapshot older than the one held, without a signed rollback statement that covers it */
  | 'ROLLBACK_REFUSED';

export type TrustRefresh =
  | { ok: true; version: number; changed: boolean }
  | { ok: false; code: TrustErrorCode; detail: string };

type Refusal = Extract<TrustRefresh, { ok: false }>;

export interface HeldTrust {
  version: number;
  issuedAt: string;
}

/**
 * The cached trust snapshot: verified with the platform root key before it is stored, kept in the journal, and
 * refreshed by increments. Its age runs from the latest time the root vouched for it (the signed "current at T"
 * statement every answer carries), never from when an answer happened to arrive, so neither an unsigned nor a
 * replayed answer can stop the clock. Its version never goes down unless the root says, signed,
 * that the gate's version is not in the server's history. Downloads never wait on uploads.
 */
/** journal meta: the gate PC's own clock when the root last vouched for the snapshot, in epoch ms */
const vouchedLocalKey = 'trust_vouched_local_ms';

export class TrustCache {
  #state: TrustState | null = null;
  #vouchedLocalMs: number | null;
  readonly #journal: Journal;
  readonly #clock: ServerClock;
  readonly #ed25519: Ed25519;
  readonly #rootKeys: Uint8Array[];

  constructor(journal: Journal, clock: ServerClock, ed25519: Ed25519, rootPublicKeys: readonly string[]) {
    this.#journal = journal;
    this.#clock = clock;
    this.#ed25519 = ed25519;
    this.#rootKeys = rootPublicKeys.map(fromBase64Url).filter((key): key is Uint8Array => key?.length === 32);
    const vouchedLocal = journal.getMeta(vouchedLocalKey);
    this.#vouchedLocalMs = vouchedLocal === null ? null : Number(vouchedLocal);
    const stored = journal.loadSnapshot();
    if (stored) {
      const snapshot = JSON.parse(stored.envelope) as TrustSnapshot;
      this.#state = {
        index: buildTrustIndex(snapshot),
        version: stored.version,
        receivedAt: stored.receivedAt,
      };
    }
  }

  /**
   * The snapshot as judging sees it. The server-corrected clock follows unsigned Date headers, so someone in the
   * network path could hold it back and keep an old snapshot young: the age is never less than the gate PC's own
   * clock has run since the root last vouched for it.
   */
  get state(): TrustState | null {
    const state = this.#state;
    if (!state || this.#vouchedLocalMs === null) return state;
    const agedLocally = this.#clock.now().getTime() - (this.#clock.local().getTime() - this.#vouchedLocalMs);
    if (agedLocally >= state.receivedAt.getTime()) return state;
    return { ...state, receivedAt: new Date(agedLocally) };
  }

  /** What the server is asked to bring up to date: the version held, and when its snapshot was issued. */
  get held(): HeldTrust | null {
    return this.#state && { version: this.#state.version, issuedAt: this.#state.index.snapshot.issuedAt };
  }

  /** Takes one server answer (TrustAnswer: full snapshot, increment, or word that ours is current) and stores it. */
  accept(body: unknown): TrustRefresh {
    if (this.#rootKeys.length === 0) {
      return { ok: false, code: 'NO_ROOT_KEY', detail: 'no platform root key configured' };
    }
    const answer = TrustAnswer.safeParse(body);
    if (!answer.success) return { ok: false, code: 'MALFORMED', detail: 'not a trust answer' };
    const now = this.#clock.now();
    const held = this.#state;
    const taken = this.#snapshotOf(answer.data, held, now);
    if ('ok' in taken) return taken;
    const vouched = this.#vouched(answer.data.current, taken.snapshot, now);
    if ('ok' in vouched) return vouched;
    const sameVersion = held?.version === vouched.snapshot.version;
    // the same version can only get fresher: a replayed older answer leaves its age where it was
    const fresher = !sameVersion || vouched.at > held.receivedAt;
    this.#store(vouched.snapshot, fresher ? vouched.at : held.receivedAt);
    if (fresher) this.#vouchedLocally();
    return { ok: true, version: vouched.snapshot.version, changed: !sameVersion };
  }

  /**
   * Revocations pushed live (one batch of a recall or a void's cascade): applied at once, ahead of the next
   * increment, without touching the snapshot's age, and kept with one write of the journal however many there
   * are, so a gate restarted offline still refuses them. Returns how many were new; none without a snapshot (the
   * first one to arrive lists them).
   */
  revoke(certificateIds: readonly string[]): number {
    const state = this.#state;
    if (!state) return 0;
    const fresh = [...new Set(certificateIds)].filter((id) => !state.index.revoked.has(id));
    if (fresh.length === 0) return 0;
    const snapshot = { ...state.index.snapshot, revoked: [...state.index.snapshot.revoked, ...fresh] };
    // in memory first: a journal that cannot be written must not keep the gate accepting a revoked code
    this.#state = { ...state, index: buildTrustIndex(snapshot) };
    this.#journal.saveSnapshot({
      version: state.version,
      envelope: JSON.stringify(snapshot),
      receivedAt: state.receivedAt,
    });
    return fresh.length;
  }

  /** The snapshot the answer leads to, or why it is refused. */
  #snapshotOf(
    answer: TrustAnswer,
    held: TrustState | null,
    now: Date,
  ): { snapshot: TrustSnapshot } | Refusal {
    if (answer.kind === 'current') {
      if (!held) return { ok: false, code: 'MALFORMED', detail: 'current without a snapshot' };
      return { snapshot: held.index.snapshot };
    }
    if (answer.kind === 'delta') {
      if (!held) return { ok: false, code: 'MALFORMED', detail: 'increment without a base snapshot' };
      const opened = openSignedDelta(answer.delta, this.#rootKeys, this.#ed25519);
      if (!opened.ok) return refusal(opened.failure);
      if (now.getTime() >= Date.parse(opened.delta.expiresAt)) {
        return { ok: false, code: 'EXPIRED', detail: `increment to ${opened.delta.toVersion} expired` };
      }
      const applied = applySnapshotDelta(held.index.snapshot, opened.delta);
      return applied.ok ? { snapshot: applied.snapshot } : refusal(applied.failure);
    }
    const opened = openSignedSnapshot(answer.snapshot, this.#rootKeys, this.#ed25519, now);
    if (!opened.ok) {
      if (opened.failure.detail !== 'expired') return refusal(opened.failure);
      return { ok: false, code: 'EXPIRED', detail: `snapshot ${opened.snapshot?.version} expired` };
    }
    if (held && opened.snapshot.version < held.version) {
      const refused = this.#refusedRollback(answer.rollback, opened.snapshot.version, held);
      if (refused) return refused;
    }
    return { snapshot: opened.snapshot };
  }

  /**
   * A lower version is taken only with a root-signed rollback to exactly that version which abandons ours, made
   * after the root last vouched for ours (so one replayed from an earlier restore does not count).
   */
  #refusedRollback(signed: SignedDocument | undefined, version: number, held: TrustState): Refusal | null {
    const lower = `snapshot ${version} is older than ours (${held.version})`;
    if (!signed)
      return { ok: false, code: 'ROLLBACK_REFUSED', detail: `${lower}, with no rollback statement` };
    const opened = openTrustRollback(signed, this.#rootKeys, this.#ed25519);
    if (!opened.ok) return refusal(opened.failure);
    const rollback = opened.value;
    if (rollback.version !== version || rollback.abandonedUpTo < held.version) {
      return {
        ok: false,
        code: 'ROLLBACK_REFUSED',
        detail: `${lower}; the rollback is from ${rollback.abandonedUpTo} to ${rollback.version}`,
      };
    }
    if (Date.parse(rollback.at) <= held.receivedAt.getTime()) {
      return {
        ok: false,
        code: 'ROLLBACK_REFUSED',
        detail: `${lower}; the rollback (${rollback.at}) predates our data`,
      };
    }
    return null;
  }

  /**
   * When the root last vouched for `snapshot`: the answer's signed "current at T" for its version, never later
   * than now. Its expiry is that of the server's snapshot of the version, rebuilt hourly, so it may extend ours.
   */
  #vouched(
    signed: SignedDocument,
    snapshot: TrustSnapshot,
    now: Date,
  ): { at: Date; snapshot: TrustSnapshot } | Refusal {
    const opened = openTrustCurrent(signed, this.#rootKeys, this.#ed25519);
    if (!opened.ok) return refusal(opened.failure);
    const current = opened.value;
    if (current.version !== snapshot.version) {
      return {
        ok: false,
        code: 'MALFORMED',
        detail: `current statement for ${current.version}, snapshot ${snapshot.version}`,
      };
    }
    const at = new Date(Math.min(Date.parse(current.at), now.getTime()));
    if (Date.parse(current.expiresAt) <= Date.parse(snapshot.expiresAt)) return { at, snapshot };
    return { at, snapshot: { ...snapshot, expiresAt: current.expiresAt } };
  }

  #vouchedLocally(): void {
    this.#vouchedLocalMs = this.#clock.local().getTime();
    this.#journal.setMeta(vouchedLocalKey, String(this.#vouchedLocalMs));
  }

  #store(snapshot: TrustSnapshot, receivedAt: Date): void {
    this.#journal.saveSnapshot({ version: snapshot.version, envelope: JSON.stringify(snapshot), receivedAt });
    this.#state = { index: buildTrustIndex(snapshot), version: snapshot.version, receivedAt };
  }
}

function refusal(failure: TrustFailure): Refusal {
  return {
    ok: false,
    code: failure.reason === 'BAD_SIGNATURE' ? 'BAD_SIGNATURE' : 'MALFORMED',
    detail: `${failure.reason}:${failure.detail}`,
  };
}

/** The server's coded error body, `{ error: { code, message } }`. */
const ErrorBody = z.object({ error: z.object({ code: z.string() }) });

export type FetchedTrust =
  | { ok: true; body: unknown }
  /** `problem`: the code of the server's error body, when it sent one */
  | { ok: false; code: TrustErrorCode; detail: string; problem?: string };

/**
 * `GET /api/v1/trust[?since=v&issuedAt=t]` with the device token, from the version held and when its snapshot
 * was issued (so a server that made the same version number after a restore answers with its whole snapshot); the
 * Date header also corrects the agent's clock. When the server knows no version as new as ours
 * (TRUST_VERSION_UNKNOWN: a restored backup, a rebuilt server), asking again with the same `since` would never
 * succeed: we ask for its whole snapshot with `rollbackFrom`, which brings the signed rollback statement that
 * lets the cache take an older version.
 */
export async function fetchTrust(
  serverUrl: string,
  deviceToken: string,
  held: HeldTrust | null,
  clock: ServerClock,
  timeoutMs: number,
): Promise<FetchedTrust> {
  const get = (query: Record<string, string | number>) =>
    getTrust(serverUrl, deviceToken, query, clock, timeoutMs);
  if (!held) return get({});
  const fetched = await get({ since: held.version, issuedAt: held.issuedAt });
  if (!fetched.ok && fetched.problem === 'TRUST_VERSION_UNKNOWN') return get({ rollbackFrom: held.version });
  return fetched;
}

async function getTrust(
  serverUrl: string,
  deviceToken: string,
  query: Record<string, string | number>,
  clock: ServerClock,
  timeoutMs: number,
): Promise<FetchedTrust> {
  const url = new URL('/api/v1/trust', serverUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const sentAt = clock.local();
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${deviceToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    return { ok: false, code: 'UNREACHABLE', detail: String(cause) };
  }
  clock.observeDateHeader(response.headers.get('date'), sentAt, clock.local());
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { ok: false, code: 'UNAUTHORIZED', detail: `HTTP ${response.status}` };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = ErrorBody.safeParse(body).data?.error.code;
    return {
      ok: false,
      code: 'UNREACHABLE',
      detail: `HTTP ${response.status} ${problem ?? ''}`.trim(),
      problem,
    };
  }
  return { ok: true, body };
}
