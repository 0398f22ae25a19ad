import type { Db } from '../storage/db.ts';
import { issuersOfLots } from './credit-record.ts';
import { type CreditDeps, recomputeCredit } from './credit-service.ts';

/**
 * Producers' grades follow their record (docs/credit.md) without any write waiting for them: a write only pokes
 * the queue, and the queue reads what the record gained since its last look, after the write committed. The
 * record is its own durable marker: violation events by id, first rapid tests and recalls by time, so a gate's
 * violation (a scan, a lot closed by staff or by the sweep) is picked up though no event announced it, and a
 * restart re-reads the tail of the record the last process may not have recomputed.
 */

/** A write may commit this long after it took its id or time (PostgreSQL hands ids out before commit): rows
 * younger than this are read again by the next look, so one that commits late behind a higher id is not missed. */
const settleMs = 30_000;
/** On start, the record written this long before its newest row is read again: what a stopped process may have
 * written and not recomputed (nothing is written while no server runs). */
const catchUpMs = 10 * 60_000;
/** Writes that come together (a truck, a bulk move) are recomputed together. */
const debounceMs = 200;
/** Gate writes announce nothing to this queue: it looks this often on its own. */
const lookEveryMs = 2_000;
const pageSize = 1000;

interface Cursor {
  violationEventId: number;
  readUpTo: Date;
}

/**
 * The rows of the settling window already recomputed, so a look that reads them again recomputes only what is new.
 * `fresh` answers and remembers; `forget` drops what can no longer be read again.
 */
interface Seen {
  fresh(key: string, at: Date): boolean;
  forget(before: number): void;
}

function seenRows(): Seen {
  const at = new Map<string, number>();
  return {
    fresh(key, when) {
      if (at.has(key)) return false;
      at.set(key, when.getTime());
      return true;
    },
    forget(before) {
      for (const [key, when] of at) if (when < before) at.delete(key);
    },
  };
}

/** One producer's newest change: what the history row names as its trigger. */
interface Touch {
  trigger: string;
  at: number;
}

export interface CreditQueue {
  /** something in the record may have changed: look soon */
  poke(): void;
  /** look now and recompute what changed; resolves when the record read so far is recomputed */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface CreditQueueOptions {
  lookEveryMs?: number;
  onError(error: unknown): void;
}

/** Where the first look starts: the record's tail, `catchUpMs` before its newest row. */
async function startingCursor(db: Db): Promise<Cursor> {
  const [event, test, recall] = await Promise.all([
    db.violationEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, at: true } }),
    db.rapidTest.aggregate({ _max: { testedAt: true } }),
    db.recall.aggregate({ _max: { at: true } }),
  ]);
  const newest = Math.max(
    event?.at.getTime() ?? 0,
    test._max.testedAt?.getTime() ?? 0,
    recall._max.at?.getTime() ?? 0,
  );
  const from = new Date(newest - catchUpMs);
  const first = await db.violationEvent.aggregate({ _min: { id: true }, where: { at: { gte: from } } });
  // No event in the window: start after the newest (or from the start of an empty table).
  const after = first._min.id === null ? (event?.id ?? 0) : first._min.id - 1;
  return { violationEventId: after, readUpTo: from };
}

/** Violation events past an id, one page, with the lot and scan each is about. */
function eventsAfter(db: Db, afterId: number) {
  return db.violationEvent.findMany({
    where: { id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: pageSize,
    select: { id: true, at: true, violationId: true, violation: { select: { lotId: true, scanId: true } } },
  });
}
type ViolationEventRead = Awaited<ReturnType<typeof eventsAfter>>[number];

/** The producers a page of violation events and the first rapid tests and recalls since an instant touched. */
async function touchesOf(db: Db, page: ViolationEventRead[], since: Date | null, seen: Seen) {
  const [allTests, allRecalls] = await Promise.all([
    since
      ? db.rapidTest.findMany({
          where: { retestOfId: null, testedAt: { gt: since } },
          select: { id: true, lotId: true, testedAt: true },
        })
      : [],
    since ? db.recall.findMany({ where: { at: { gt: since } } }) : [],
  ]);
  // Rows read again only because they are still settling were recomputed the first time.
  const events = page.filter((e) => seen.fresh(`event:${e.id}`, e.at));
  const tests = allTests.filter((t) => seen.fresh(`test:${t.id}`, t.testedAt));
  const recalls = allRecalls.filter((r) => seen.fresh(`recall:${r.id}`, r.at));
  const openedBy = await db.rapidTest.findMany({
    where: { violationId: { in: [...new Set(events.map((e) => e.violationId))] } },
    select: { id: true, violationId: true },
  });
  // A violation a rapid test opened is that test's confirmation: the history names the test.
  const openedByTest = new Map(openedBy.map((t) => [t.violationId, t.id]));
  const recalled = await db.certificate.findMany({
    where: {
      id: { in: recalls.flatMap((r) => (r.issuerId === null && r.certificateId ? [r.certificateId] : [])) },
    },
    select: { id: true, issuerId: true },
  });
  const issuerOfCertificate = new Map(recalled.map((c) => [c.id, c.issuerId]));
  const { byLot, byScan } = await issuersOfLots(
    db,
    [...events.map((e) => e.violation.lotId), ...tests.map((t) => t.lotId)],
    events.flatMap((e) => e.violation.scanId ?? []),
  );
  const touches = new Map<number, Touch>();
  const touch = (issuerIds: readonly number[], trigger: string, at: Date) => {
    for (const id of issuerIds) {
      const known = touches.get(id);
      if (!known || known.at <= at.getTime()) touches.set(id, { trigger, at: at.getTime() });
    }
  };
  // Violation events last: a confirmed positive opens its recalls and its violation at one instant, and the
  // history should name the test that started them.
  for (const t of tests) touch(byLot.get(t.lotId) ?? [], `rapid-test:${t.id}`, t.testedAt);
  for (const r of recalls) {
    const issuer = r.issuerId ?? (r.certificateId ? issuerOfCertificate.get(r.certificateId) : undefined);
    if (issuer !== undefined) touch([issuer], `recall:${r.id}`, r.at);
  }
  for (const e of events) {
    const testId = openedByTest.get(e.violationId);
    const issuers = [
      ...(byLot.get(e.violation.lotId) ?? []),
      ...(byScan.get(e.violation.scanId ?? '') ?? []),
    ];
    touch(issuers, testId ? `rapid-test:${testId}` : `violation:${e.violationId}`, e.at);
  }
  return touches;
}

/** Recomputes the touched producers, grouped by what touched them last. */
async function recomputeTouched(deps: CreditDeps, touches: Map<number, Touch>) {
  const byTrigger = new Map<string, number[]>();
  for (const [issuerId, { trigger }] of touches)
    byTrigger.set(trigger, [...(byTrigger.get(trigger) ?? []), issuerId]);
  for (const [trigger, issuerIds] of byTrigger)
    await recomputeCredit(deps, issuerIds, trigger, 'system:credit');
}

export function startCreditQueue(deps: CreditDeps, options: CreditQueueOptions): CreditQueue {
  let cursor: Promise<Cursor> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;
  let closed = false;
  let seen = seenRows();

  const look = async () => {
    cursor ??= startingCursor(deps.db);
    const from = await cursor;
    const now = deps.clock.now();
    let afterId = from.violationEventId;
    let settledId = from.violationEventId;
    let settled = true;
    let since: Date | null = new Date(from.readUpTo.getTime() - settleMs);
    for (;;) {
      const events = await eventsAfter(deps.db, afterId);
      await recomputeTouched(deps, await touchesOf(deps.db, events, since, seen));
      since = null;
      for (const e of events) {
        afterId = e.id;
        // The cursor passes only events old enough that nothing below them can still commit.
        settled &&= e.at.getTime() <= now.getTime() - settleMs;
        if (settled) settledId = e.id;
      }
      if (events.length < pageSize) break;
    }
    cursor = Promise.resolve({ violationEventId: settledId, readUpTo: now });
    seen.forget(now.getTime() - 2 * settleMs);
  };
  // One look at a time; a poke during a look asks for one more after it.
  const drain = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = look()
      .catch((error: unknown) => {
        // read again from the tail, recomputing what this look may have left half done
        cursor = undefined;
        seen = seenRows();
        options.onError(error);
      })
      .finally(() => {
        running = undefined;
        if (again && !closed) {
          again = false;
          void drain();
        }
      });
    return running;
  };
  const poke = () => {
    if (closed) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void drain(), debounceMs);
    debounce.unref();
  };
  const ticker = setInterval(poke, options.lookEveryMs ?? lookEveryMs);
  ticker.unref();
  poke();
  return {
    poke,
    drain,
    async close() {
      closed = true;
      clearInterval(ticker);
      clearTimeout(debounce);
      await running;
    },
  };
}
