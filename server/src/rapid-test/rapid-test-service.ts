import { randomUUID } from 'node:crypto';
import {
  canSeeMarket,
  checkDecision,
  checkRetest,
  type DecisionInput,
  type PositiveCase,
  type RapidTestCheck,
  type RapidTestDecision,
  type RapidTestInput,
  type RapidTestResult,
  type RapidTestView,
  type RetestInput,
  retestByOf,
  stageOf,
  type UserPrincipal,
} from '@liangzheng/domain';
import { readImageHeader } from '@liangzheng/domain/lot/photo';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import { materialise } from '../custody/inventory.ts';
import { type RecallOutcome, recallWithin } from '../custody/recall.ts';
import type { AppEvents } from '../events/events.ts';
import { ApiProblem } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import type { Db, Dialect, Tx } from '../storage/db.ts';
import { rapidTestHoldReason } from './rapid-test-hold.ts';

export interface RapidTestDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  live: LiveFeed;
  events: AppEvents;
  dialect: Dialect;
  /** the market's calendar, for the day a default sampling seed names */
  timeZone: string;
}

const confirmedReason = '快检阳性经复检确认';
/** A confirming write may recall a deep repack tree: as long as the recall route allows. */
const recallTime = { maxWait: 15_000, timeout: 60_000 };
/** The violation reason of a confirmed positive; not a gate verdict reason, so not a ReasonCode. */
export const rapidTestViolationReason = 'RAPID_TEST_POSITIVE';

export const withContext = {
  lot: {
    select: {
      id: true,
      productName: true,
      stallId: true,
      market: { select: { id: true, regionCode: true } },
    },
  },
} as const;

export type TestRow = NonNullable<Awaited<ReturnType<typeof findTestRow>>>;

export function findTestRow(db: Db | Tx, id: string) {
  return db.rapidTest.findUnique({ where: { id }, include: withContext });
}

function refusal(check: RapidTestCheck): void {
  if (!check.ok) throw new ApiProblem(check.code, check.message);
}

/** Market staff write; the route's role guard has already kept out everyone but admins and market staff. */
function mayWrite(principal: UserPrincipal, market: { id: number; regionCode: string }): boolean {
  return principal.role !== 'regulator' && canSeeMarket(principal, market);
}

/** The lot a sample comes from: named directly, or through the stall inventory item it was taken from. */
async function sampledLot(deps: RapidTestDeps, principal: UserPrincipal, input: RapidTestInput) {
  let lotId = input.lotId;
  let stallId: number | null = null;
  if (input.inventoryItemId !== undefined) {
    const item = await deps.db.inventoryItem.findUnique({ where: { id: input.inventoryItemId } });
    if (!item) throw new ApiProblem('NOT_FOUND', `inventory item ${input.inventoryItemId} not found`);
    if (!item.lotId) {
      throw new ApiProblem(
        'INVALID_REFERENCE',
        '该库存为分装产出，无进场批次，请对其来源批次抽样 / this item was made at the stall; sample the lot it came from',
      );
    }
    lotId = item.lotId;
    stallId = item.stallId;
  }
  const lot = await deps.db.lot.findUnique({
    where: { id: lotId! },
    select: {
      id: true,
      productName: true,
      stallId: true,
      gateId: true,
      market: { select: { id: true, regionCode: true } },
    },
  });
  if (!lot || !mayWrite(principal, lot.market)) {
    throw new ApiProblem(
      'NOT_FOUND',
      input.inventoryItemId ? 'inventory item not found' : `lot ${lotId} not found`,
    );
  }
  return { lot, stallId: stallId ?? lot.stallId };
}

function photoOf(base64: string | undefined): { photo: Uint8Array<ArrayBuffer>; photoType: string } | null {
  if (base64 === undefined) return null;
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const header = readImageHeader(bytes);
  // The zod boundary already refused anything else; this only names the type.
  return { photo: bytes, photoType: header.ok ? header.image.type : 'jpeg' };
}

/** Holds (stop-sale) every inventory item of the lot not yet held, at any stall. */
async function holdLotItems(tx: Tx, lotId: string): Promise<string[]> {
  const items = await tx.inventoryItem.findMany({ where: { lotId, held: false }, select: { id: true } });
  if (items.length === 0) return [];
  await tx.inventoryItem.updateMany({
    where: { id: { in: items.map((i) => i.id) } },
    data: { held: true, heldReason: rapidTestHoldReason },
  });
  return items.map((i) => i.id);
}

export async function recordRapidTest(
  deps: RapidTestDeps,
  principal: UserPrincipal,
  input: RapidTestInput,
): Promise<RapidTestView> {
  const { lot, stallId } = await sampledLot(deps, principal, input);
  const now = deps.clock.now();
  const id = randomUUID();
  const positive = input.result === 'positive';
  const retestBy = positive ? retestByOf(now) : null;
  // Inventory is made lazily from accepted lots: make the stall's now, so that the hold reaches it.
  if (positive) await materialise(deps.db, { marketId: lot.market.id, stallId: lot.stallId });
  const heldItems = await deps.db.$transaction(async (tx) => {
    await tx.rapidTest.create({
      data: {
        id,
        lotId: lot.id,
        inventoryItemId: input.inventoryItemId ?? null,
        method: input.method,
        analyte: input.analyte,
        sampleCount: input.sampleCount,
        result: input.result,
        testerId: principal.userId,
        testerName: input.testerName,
        ...photoOf(input.photo),
        testedAt: now,
        retestBy,
      },
    });
    const held = positive ? await holdLotItems(tx, lot.id) : [];
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: 'record',
      entity: 'rapid_test',
      entityId: id,
      data: {
        lotId: lot.id,
        method: input.method,
        analyte: input.analyte,
        result: input.result,
        heldItems: held,
      },
    });
    return held;
  });
  if (retestBy) {
    const event = {
      rapidTestId: id,
      lotId: lot.id,
      marketId: lot.market.id,
      regionCode: lot.market.regionCode,
      stallId,
      productName: lot.productName,
      analyte: input.analyte,
      method: input.method,
      retestBy: retestBy.toISOString(),
      heldItems,
      at: now.toISOString(),
    };
    // Shown where the goods are: the gate they came through, the market's staff, the region's regulators.
    if (lot.gateId !== null) deps.live.toGate(lot.gateId, 'rapid-test:positive', event);
    deps.live.toMarket(lot.market.id, 'rapid-test:positive', event);
    deps.live.toRegion(lot.market.regionCode, 'rapid-test:positive', event);
  }
  return viewOf(deps, id);
}

async function retestOf(db: Db | Tx, id: string) {
  return db.rapidTest.findFirst({ where: { retestOfId: id }, orderBy: { testedAt: 'asc' } });
}

function caseOf(row: TestRow, retestResult: string | null): PositiveCase {
  return {
    result: row.result as RapidTestResult,
    retestOfId: row.retestOfId,
    retestBy: row.retestBy,
    decision: row.decision as RapidTestDecision | null,
    retestResult: retestResult as RapidTestResult | null,
  };
}

/**
 * The test, locked for this transaction: one retest, decision or window sweep at a time per test, since
 * PostgreSQL's read committed would let two see "no retest yet". SQLite transactions are already serial.
 */
async function lockedTest(tx: Tx, dialect: Dialect, id: string): Promise<TestRow | null> {
  if (dialect === 'postgresql') await tx.$queryRaw`SELECT id FROM "RapidTest" WHERE id = ${id} FOR UPDATE`;
  return findTestRow(tx, id);
}

/** A test the caller may act on, or 404: a market's tests are invisible outside it. */
async function writableTest(
  tx: Tx,
  dialect: Dialect,
  principal: UserPrincipal,
  id: string,
): Promise<TestRow> {
  const row = await lockedTest(tx, dialect, id);
  if (!row || !mayWrite(principal, row.lot.market))
    throw new ApiProblem('NOT_FOUND', `rapid test ${id} not found`);
  return row;
}

/**
 * A confirmed positive recalls each certificate the lot came in on (and those of its inventory): every descendant
 * is voided as recalled and every item under them held (docs/custody.md). It also opens a violation for the
 * region's regulators, so the case has an owner. Runs once per positive: the violation id marks it done.
 */
async function confirmPositive(
  deps: RapidTestDeps,
  tx: Tx,
  actor: string,
  row: TestRow,
  now: Date,
): Promise<RecallOutcome[]> {
  const [documents, items] = await Promise.all([
    tx.lotDocument.findMany({
      where: { lotId: row.lotId, certificateId: { not: null } },
      select: { certificateId: true },
    }),
    tx.inventoryItem.findMany({ where: { lotId: row.lotId }, select: { certificateId: true } }),
  ]);
  const ids = [...new Set([...documents.map((d) => d.certificateId!), ...items.map((i) => i.certificateId)])];
  const reason = `${confirmedReason}：${row.analyte}`;
  const recalls: RecallOutcome[] = [];
  for (const certificateId of ids.sort()) {
    recalls.push(
      await recallWithin(tx, { dialect: deps.dialect, audit: deps.audit, now: () => now }, actor, {
        certificateId,
        reason,
      }),
    );
  }
  const violationId = randomUUID();
  await tx.violation.create({
    data: {
      id: violationId,
      lotId: row.lotId,
      marketId: row.lot.market.id,
      regionCode: row.lot.market.regionCode,
      reason: rapidTestViolationReason,
      status: 'open',
      createdAt: now,
      updatedAt: now,
      events: {
        create: {
          type: 'created',
          toStatus: 'open',
          evidence: JSON.stringify({
            rapidTestId: row.id,
            analyte: row.analyte,
            recalls: recalls.map((r) => r.id),
            voided: recalls.flatMap((r) => r.revoked.map((v) => v.certificateId)),
          }),
          at: now,
        },
      },
    },
  });
  await tx.rapidTest.update({ where: { id: row.id }, data: { violationId } });
  return recalls;
}

/** After the commit, as the recall route does: agents drop the codes, holding markets and regions are told. */
function announceRecalls(deps: RapidTestDeps, recalls: RecallOutcome[]) {
  for (const done of recalls) {
    const at = done.at.toISOString();
    deps.events.emit('certificate.voided', { revoked: done.revoked, at });
    const notice = {
      recallId: done.id,
      reason: done.reason,
      revoked: done.covered,
      heldItems: done.heldItems,
      at,
    };
    for (const market of done.markets) deps.live.toMarket(market.marketId, 'recall:issued', notice);
    for (const region of done.regions) deps.live.toRegion(region, 'recall:issued', notice);
  }
}

function announceChange(
  deps: RapidTestDeps,
  row: TestRow,
  type: 'retest' | 'decision' | 'window',
  stage: string,
  at: Date,
) {
  const event = {
    rapidTestId: row.id,
    lotId: row.lotId,
    marketId: row.lot.market.id,
    regionCode: row.lot.market.regionCode,
    type,
    stage,
    at: at.toISOString(),
  };
  deps.live.toMarket(row.lot.market.id, 'rapid-test:changed', event);
  deps.live.toRegion(row.lot.market.regionCode, 'rapid-test:changed', event);
}

export async function recordRetest(
  deps: RapidTestDeps,
  principal: UserPrincipal,
  id: string,
  input: RetestInput,
): Promise<RapidTestView> {
  const now = deps.clock.now();
  const done = await deps.db.$transaction(async (tx) => {
    const row = await writableTest(tx, deps.dialect, principal, id);
    const earlier = await retestOf(tx, id);
    refusal(checkRetest(caseOf(row, earlier?.result ?? null), input.method, now));
    await tx.rapidTest.create({
      data: {
        id: randomUUID(),
        lotId: row.lotId,
        inventoryItemId: row.inventoryItemId,
        method: input.method,
        analyte: row.analyte,
        sampleCount: 1,
        result: input.result,
        retestOfId: row.id,
        testerId: principal.userId,
        testerName: input.testerName,
        ...photoOf(input.photo),
        testedAt: now,
      },
    });
    const confirmed =
      input.result === 'positive' ? await confirmPositive(deps, tx, actorOf(principal), row, now) : [];
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: 'retest',
      entity: 'rapid_test',
      entityId: row.id,
      data: { method: input.method, result: input.result, recalls: confirmed.map((r) => r.id) },
    });
    return { row, confirmed };
  }, recallTime);
  announceRecalls(deps, done.confirmed);
  announceChange(deps, done.row, 'retest', input.result === 'positive' ? 'confirmed' : 'cleared', now);
  return viewOf(deps, id);
}

export async function recordDecision(
  deps: RapidTestDeps,
  principal: UserPrincipal,
  id: string,
  input: DecisionInput,
): Promise<RapidTestView> {
  const now = deps.clock.now();
  const done = await deps.db.$transaction(async (tx) => {
    const row = await writableTest(tx, deps.dialect, principal, id);
    const retest = await retestOf(tx, id);
    const positiveCase = caseOf(row, retest?.result ?? null);
    refusal(checkDecision(positiveCase, input.decision, now));
    // A window that ran out without a retest confirms the positive now, if no retest did already.
    const confirmed =
      stageOf(positiveCase, now) === 'confirmed' && row.violationId === null
        ? await confirmPositive(deps, tx, actorOf(principal), row, now)
        : [];
    const updated = await tx.rapidTest.updateMany({
      where: { id, decision: null },
      data: {
        decision: input.decision,
        decisionNote: input.note,
        decidedAt: now,
        decidedById: principal.userId,
      },
    });
    if (updated.count === 0)
      throw new ApiProblem('ALREADY_DECIDED', '已作出处置决定 / the goods were already decided on');
    if (input.decision === 'released') {
      await tx.inventoryItem.updateMany({
        where: { lotId: row.lotId, held: true, heldReason: rapidTestHoldReason },
        data: { held: false, heldReason: null },
      });
    }
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: 'decide',
      entity: 'rapid_test',
      entityId: id,
      data: { decision: input.decision, note: input.note, recalls: confirmed.map((r) => r.id) },
    });
    return { row, confirmed };
  }, recallTime);
  announceRecalls(deps, done.confirmed);
  announceChange(deps, done.row, 'decision', 'decided', now);
  return viewOf(deps, id);
}

const windowActor = 'system:rapid-test-window';

/**
 * Positives whose retest window ran out with no retest are confirmed at once (the recall and the violation), not
 * only when someone records the decision: the goods stay held either way, but the codes must stop elsewhere too.
 * Returns the tests confirmed now.
 */
export async function confirmLapsedPositives(deps: RapidTestDeps): Promise<string[]> {
  const now = deps.clock.now();
  const lapsed = await deps.db.rapidTest.findMany({
    where: {
      retestOfId: null,
      result: 'positive',
      decision: null,
      violationId: null,
      retestBy: { lte: now },
    },
    select: { id: true },
    orderBy: { retestBy: 'asc' },
    take: 100,
  });
  const confirmed: string[] = [];
  for (const { id } of lapsed) {
    const done = await deps.db.$transaction(async (tx) => {
      const row = await lockedTest(tx, deps.dialect, id);
      if (!row || row.violationId !== null) return null;
      const retest = await retestOf(tx, id);
      if (stageOf(caseOf(row, retest?.result ?? null), now) !== 'confirmed') return null;
      const recalls = await confirmPositive(deps, tx, windowActor, row, now);
      await deps.audit.append(tx, {
        actor: windowActor,
        action: 'confirm',
        entity: 'rapid_test',
        entityId: id,
        data: { recalls: recalls.map((r) => r.id) },
      });
      return { row, recalls };
    }, recallTime);
    if (!done) continue;
    announceRecalls(deps, done.recalls);
    announceChange(deps, done.row, 'window', 'confirmed', now);
    confirmed.push(id);
  }
  return confirmed;
}

/** A first test with its retest and where it stands. */
export async function viewOf(deps: Pick<RapidTestDeps, 'db' | 'clock'>, id: string): Promise<RapidTestView> {
  const row = await deps.db.rapidTest.findUniqueOrThrow({ where: { id }, include: withContext });
  const [view] = await viewsOf(deps, [row]);
  return view!;
}

export async function viewsOf(
  deps: Pick<RapidTestDeps, 'db' | 'clock'>,
  rows: TestRow[],
): Promise<RapidTestView[]> {
  const ids = rows.map((r) => r.id);
  const violationIds = rows.flatMap((r) => (r.violationId ? [r.violationId] : []));
  const itemIds = rows.flatMap((r) => (r.inventoryItemId ? [r.inventoryItemId] : []));
  const [retests, voidEvents, items] = await Promise.all([
    deps.db.rapidTest.findMany({ where: { retestOfId: { in: ids } }, orderBy: { testedAt: 'asc' } }),
    deps.db.violationEvent.findMany({ where: { violationId: { in: violationIds }, type: 'created' } }),
    deps.db.inventoryItem.findMany({ where: { id: { in: itemIds } }, select: { id: true, stallId: true } }),
  ]);
  const now = deps.clock.now();
  return rows.map((row) => {
    const retest = retests.find((r) => r.retestOfId === row.id) ?? null;
    const created = voidEvents.find((e) => e.violationId === row.violationId);
    const voided = created ? ((JSON.parse(created.evidence) as { voided?: string[] }).voided ?? []) : [];
    return {
      id: row.id,
      lotId: row.lotId,
      marketId: row.lot.market.id,
      stallId: items.find((i) => i.id === row.inventoryItemId)?.stallId ?? row.lot.stallId,
      inventoryItemId: row.inventoryItemId,
      productName: row.lot.productName,
      method: row.method as RapidTestView['method'],
      analyte: row.analyte,
      sampleCount: row.sampleCount,
      result: row.result as RapidTestResult,
      testerName: row.testerName,
      hasPhoto: row.photo !== null,
      testedAt: row.testedAt.toISOString(),
      retestOfId: row.retestOfId,
      retestBy: row.retestBy?.toISOString() ?? null,
      stage: stageOf(caseOf(row, retest?.result ?? null), now),
      retest: retest
        ? {
            id: retest.id,
            method: retest.method as RapidTestView['method'],
            result: retest.result as RapidTestResult,
            testedAt: retest.testedAt.toISOString(),
          }
        : null,
      decision: row.decision as RapidTestDecision | null,
      decisionNote: row.decisionNote,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      violationId: row.violationId,
      voidedCertificates: voided,
    };
  });
}
