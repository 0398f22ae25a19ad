import {
  applySnapshotDelta,
  buildTrustIndex,
  type Ed25519,
  fromBase64Url,
  openSignedDelta,
  openSignedSnapshot,
  type TrustSnapshot,
} from '@liangzheng/domain';
import type { Journal } from '../journal/journal.ts';
import type { TrustState } from '../verdict/provisional.ts';
import type { ServerClock } from './server-clock.ts';

export type TrustErrorCode = 'UNREACHABLE' | 'UNAUTHORIZED' | 'BAD_SIGNATURE' | 'MALFORMED' | 'NO_ROOT_KEY';

export type TrustRefresh =
  | { ok: true; version: number; changed: boolean }
  | { ok: false; code: TrustErrorCode; detail: string };

interface Envelope {
  snapshot?: unknown;
  delta?: unknown;
  notModified?: boolean;
}

/** The server answers a full snapshot, an increment, or nothing new; read each the way it is sent. */
function envelopeOf(body: unknown): Envelope {
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  // the server's TrustAnswer: { kind: 'full', snapshot } | { kind: 'delta', delta } | { kind: 'current' }
  if (record.kind === 'current') return { notModified: true };
  if ('snapshot' in record || 'delta' in record || 'notModified' in record) return record as Envelope;
  // a bare signed document: its purpose decides, and openSignedSnapshot refuses a delta
  return { snapshot: body };
}

/**
 * The cached trust snapshot: verified with the platform root key before it is stored, kept in the journal
 * with its receipt time (server clock), and refreshed by increments. Downloads never wait on uploads.
 */
export class TrustCache {
  #state: TrustState | null = null;
  readonly #journal: Journal;
  readonly #clock: ServerClock;
  readonly #ed25519: Ed25519;
  readonly #rootKeys: Uint8Array[];

  constructor(journal: Journal, clock: ServerClock, ed25519: Ed25519, rootPublicKeys: readonly string[]) {
    this.#journal = journal;
    this.#clock = clock;
    this.#ed25519 = ed25519;
    this.#rootKeys = rootPublicKeys.map(fromBase64Url).filter((key): key is Uint8Array => key?.length === 32);
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

  get state(): TrustState | null {
    return this.#state;
  }

  /** Takes one server answer (full snapshot or increment), verifies it, and stores it. */
  accept(body: unknown): TrustRefresh {
    if (this.#rootKeys.length === 0) {
      return { ok: false, code: 'NO_ROOT_KEY', detail: 'no platform root key configured' };
    }
    const envelope = envelopeOf(body);
    const now = this.#clock.now();
    if (envelope.notModified) {
      // the server confirmed our version is current: that counts as fresh data
      if (this.#state) this.#store(this.#state.index.snapshot, now);
      return { ok: true, version: this.#state?.version ?? 0, changed: false };
    }
    let snapshot: TrustSnapshot;
    if (envelope.delta !== undefined) {
      if (!this.#state) return { ok: false, code: 'MALFORMED', detail: 'increment without a base snapshot' };
      const opened = openSignedDelta(envelope.delta, this.#rootKeys, this.#ed25519);
      if (!opened.ok) return failure(opened.failure.reason, opened.failure.detail);
      const applied = applySnapshotDelta(this.#state.index.snapshot, opened.delta);
      if (!applied.ok) return failure(applied.failure.reason, applied.failure.detail);
      snapshot = applied.snapshot;
    } else {
      const opened = openSignedSnapshot(envelope.snapshot, this.#rootKeys, this.#ed25519, now);
      // an expired snapshot is still better than none: judging marks it stale rather than refusing to work
      if (!opened.ok && !opened.snapshot) return failure(opened.failure.reason, opened.failure.detail);
      snapshot = opened.ok ? opened.snapshot : opened.snapshot!;
    }
    const changed = snapshot.version !== this.#state?.version;
    this.#store(snapshot, now);
    return { ok: true, version: snapshot.version, changed };
  }

  /** A revocation pushed live: applied at once, ahead of the next increment, without touching its age. */
  revoke(certificateId: string): void {
    if (!this.#state || this.#state.index.revoked.has(certificateId)) return;
    const snapshot = {
      ...this.#state.index.snapshot,
      revoked: [...this.#state.index.snapshot.revoked, certificateId],
    };
    this.#state = { ...this.#state, index: buildTrustIndex(snapshot) };
  }

  #store(snapshot: TrustSnapshot, receivedAt: Date): void {
    this.#journal.saveSnapshot({ version: snapshot.version, envelope: JSON.stringify(snapshot), receivedAt });
    this.#state = { index: buildTrustIndex(snapshot), version: snapshot.version, receivedAt };
  }
}

function failure(reason: string, detail: string): TrustRefresh {
  return {
    ok: false,
    code: reason === 'BAD_SIGNATURE' ? 'BAD_SIGNATURE' : 'MALFORMED',
    detail: `${reason}:${detail}`,
  };
}

/** `GET /api/v1/trust[?since=v]` with the device token; the Date header also corrects the agent's clock. */
export async function fetchTrust(
  serverUrl: string,
  deviceToken: string,
  since: number | null,
  clock: ServerClock,
  timeoutMs: number,
): Promise<{ ok: true; body: unknown } | { ok: false; code: TrustErrorCode; detail: string }> {
  const url = new URL('/api/v1/trust', serverUrl);
  if (since !== null) url.searchParams.set('since', String(since));
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
  if (response.status === 304) return { ok: true, body: { notModified: true } };
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { ok: false, code: 'UNAUTHORIZED', detail: `HTTP ${response.status}` };
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as { code?: unknown } | null;
    // the server's history is older than our version (a restored backup, a rebuilt server): its whole current
    // snapshot is what counts now, and asking again with the same `since` would never succeed
    if (since !== null && response.status === 400 && problem?.code === 'TRUST_VERSION_UNKNOWN') {
      return fetchTrust(serverUrl, deviceToken, null, clock, timeoutMs);
    }
    return { ok: false, code: 'UNREACHABLE', detail: `HTTP ${response.status}` };
  }
  return { ok: true, body: await response.json().catch(() => null) };
}
