import type { RuleSet, TrustIndex, TrustSnapshot } from '@liangzheng/domain';
import { buildTrustIndex } from '@liangzheng/domain';
import type { LedgerEntry } from '../ledger/ledger.ts';
import type { TrustData } from './trust-data.ts';
import { snapshotFrom } from './trust-data.ts';

/** What judging needs from the trust data, built once per snapshot version. */
export interface TrustView {
  version: number;
  snapshot: TrustSnapshot;
  index: TrustIndex;
  rules: RuleSet;
  /**
   * The same view with certificates the database already knows are void treated as revoked: a void made on
   * another node a moment ago must refuse the scan before this node's snapshot is rebuilt.
   */
  withFreshRevocations(entries: readonly LedgerEntry[]): TrustView;
}

export interface TrustSource {
  current(): Promise<TrustView>;
  /** drop the built snapshot; the next `current()` rebuilds it from the database */
  invalidate(): void;
}

export interface TrustSourceDeps {
  load: () => Promise<TrustData>;
  /** the cheap check run before reusing a built view: the highest TrustChange version */
  latestVersion: () => Promise<number>;
  now: () => Date;
  /** how long a snapshot stays valid at an offline gate */
  validForHours: number;
  codeHosts: string[];
  /** how long a built view is reused without asking the database for the latest version */
  recheckMs: number;
}

const rebuildMs = 60 * 60 * 1000;

export function viewOf(snapshot: TrustSnapshot): TrustView {
  const index = buildTrustIndex(snapshot);
  const view: TrustView = {
    version: snapshot.version,
    snapshot,
    index,
    rules: snapshot.rules,
    withFreshRevocations(entries) {
      const fresh = entries.filter(
        (entry) => entry.status === 'void' && !index.revoked.has(entry.certificateId),
      );
      if (fresh.length === 0) return view;
      const revoked = new Set(index.revoked);
      for (const entry of fresh) revoked.add(entry.certificateId);
      return { ...view, index: { ...index, revoked } };
    },
  };
  return view;
}

/**
 * Builds the trust snapshot from the database and keeps it until something changes: the app invalidates it on
 * its own changes, and a version check at most every `recheckMs` catches changes made by other nodes.
 */
export function createTrustSource(deps: TrustSourceDeps): TrustSource {
  let built: { view: TrustView; checkedAt: number } | undefined;
  let building: Promise<TrustView> | undefined;
  // One version check at a time: scans arriving while it runs wait for it instead of each asking the database.
  let checking: Promise<TrustView> | undefined;

  async function build(): Promise<TrustView> {
    const data = await deps.load();
    const snapshot = snapshotFrom(data, deps.now(), deps.validForHours, deps.codeHosts);
    const view = viewOf(snapshot);
    built = { view, checkedAt: deps.now().getTime() };
    return view;
  }

  function rebuild(): Promise<TrustView> {
    building ??= build().finally(() => {
      building = undefined;
    });
    return building;
  }

  async function recheck(checked: { view: TrustView; checkedAt: number }): Promise<TrustView> {
    const latest = await deps.latestVersion();
    if (latest !== checked.view.version) return rebuild();
    checked.checkedAt = deps.now().getTime();
    return checked.view;
  }

  return {
    async current() {
      const now = deps.now().getTime();
      // Rebuilt hourly even when nothing changed, so the snapshot handed to agents never nears its expiry.
      if (built && now - Date.parse(built.view.snapshot.issuedAt) > rebuildMs) built = undefined;
      if (built && now - built.checkedAt < deps.recheckMs) return built.view;
      if (built) {
        checking ??= recheck(built).finally(() => {
          checking = undefined;
        });
        return checking;
      }
      return rebuild();
    },
    invalidate() {
      built = undefined;
      building = undefined;
      checking = undefined;
    },
  };
}
