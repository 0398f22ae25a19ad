import { randomUUID } from 'node:crypto';
import type { PresentedDocument, VerdictResult } from '@liangzheng/domain';
import { usedByOthers } from '../ledger/ledger.ts';
import { certificateIdsOf } from '../scan/scan-service.ts';
import type { LotContext, ScanStore, StoredDocument } from '../scan/scan-store.ts';
import { judgeOnServer } from '../scan/server-judgement.ts';
import type { LotDeps } from './lot-service.ts';
import { announceLot } from './lot-service.ts';
import { recordVerdict } from './lot-verdict.ts';

/** Closing reads the lot and the ledger through the scan path's store, so it judges exactly what scans stored. */
export interface LotClosingDeps extends LotDeps {
  lots: Pick<ScanStore, 'lotContext' | 'ledger'>;
}

export type LotClosing =
  | {
      ok: true;
      lotId: string;
      status: 'closed' | 'judged';
      verdict: VerdictResult;
      violationId: string | null;
    }
  | { ok: false; error: { code: 'NOT_FOUND' | 'LOT_CLOSED' | 'INACTIVE'; message: string } };

/** Who closes a lot, and why: gate staff (or their device) saying the truck is done, or the overdue sweep. */
export interface Closer {
  actor: string;
  /** only lots of this market; undefined for the sweep, which closes anywhere */
  marketId?: number;
  note?: string;
}

function presented(document: StoredDocument): PresentedDocument {
  if (document.type === 'code') return { type: 'code', text: document.text };
  if (document.type === 'paper') return { type: 'paper', fields: document.fields } as PresentedDocument;
  return { type: 'second_document', kind: document.kind, number: document.number } as PresentedDocument;
}

/**
 * A closed lot waits for no more certificates: the shared core judges it with `closing`, so a lot still short of
 * its declared quantity is INSUFFICIENT_COVERAGE and one with nothing shown is MISSING. Closing charges nothing:
 * what the lot covers was charged as each certificate was read. A lot that ends in review stays `judged` for staff
 * to decide; any other outcome closes it to further scans.
 */
export async function closeLot(deps: LotClosingDeps, lotId: string, closer: Closer): Promise<LotClosing> {
  const lot = await deps.lots.lotContext(lotId);
  if (!lot || (closer.marketId !== undefined && lot.marketId !== closer.marketId)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `no lot ${lotId} at this market` } };
  }
  if (lot.status === 'judged') return closeJudged(deps, lot, closer);
  if (lot.status !== 'open') {
    return { ok: false, error: { code: 'LOT_CLOSED', message: `lot ${lotId} is already ${lot.status}` } };
  }
  const now = deps.clock.now();
  const verdict = await judgeClosing(deps, lot, now);
  const status = verdict.outcome === 'review' ? 'judged' : 'closed';
  const violationId = await deps.db.$transaction(async (tx) => {
    // Only if still open: a scan or another close may have judged it since it was read.
    const still = await tx.lot.updateMany({
      where: { id: lot.id, status: 'open' },
      data: { status: 'judging' },
    });
    if (still.count === 0) return undefined;
    await deps.audit.append(tx, {
      actor: closer.actor,
      action: 'lot.closed',
      entity: 'lot',
      entityId: lot.id,
      data: {
        outcome: verdict.outcome,
        reasons: verdict.reasons.map((r) => r.code),
        note: closer.note ?? '',
      },
    });
    return recordVerdict(
      tx,
      {
        lotId: lot.id,
        marketId: lot.marketId,
        regionCode: lot.regionCode,
        scanId: null,
        verdict,
        at: now,
        evidence: { lotId: lot.id, closedBy: closer.actor, coverage: verdict.coverage ?? null },
      },
      verdict.outcome === 'reject' ? randomUUID() : undefined,
      status,
    );
  });
  if (violationId === undefined) {
    return { ok: false, error: { code: 'LOT_CLOSED', message: `lot ${lotId} was judged meanwhile` } };
  }
  announceLot(deps.live, lot, lot.declaration, verdict, violationId, now);
  return { ok: true, lotId: lot.id, status, verdict, violationId };
}

/**
 * A lot already judged accept or reject only stops taking scans: its verdict and any violation stand, and nothing
 * is recorded twice. A lot in review is decided by the review, not by closing.
 */
async function closeJudged(deps: LotClosingDeps, lot: LotContext, closer: Closer): Promise<LotClosing> {
  const now = deps.clock.now();
  const verdict = await judgeClosing(deps, lot, now);
  if (verdict.outcome === 'review' || verdict.outcome === 'pending') {
    return {
      ok: false,
      error: { code: 'INACTIVE', message: `lot ${lot.id} awaits a review decision, not closing` },
    };
  }
  const closed = await deps.db.$transaction(async (tx) => {
    const still = await tx.lot.updateMany({
      where: { id: lot.id, status: 'judged', outcome: { in: ['accept', 'reject'] } },
      data: { status: 'closed' },
    });
    if (still.count === 0) return false;
    await deps.audit.append(tx, {
      actor: closer.actor,
      action: 'lot.closed',
      entity: 'lot',
      entityId: lot.id,
      data: { outcome: verdict.outcome, alreadyJudged: true, note: closer.note ?? '' },
    });
    return true;
  });
  if (!closed)
    return { ok: false, error: { code: 'INACTIVE', message: `lot ${lot.id} awaits a review decision` } };
  return { ok: true, lotId: lot.id, status: 'closed', verdict, violationId: null };
}

async function judgeClosing(deps: LotClosingDeps, lot: LotContext, now: Date): Promise<VerdictResult> {
  const view = await deps.trust.current();
  const documents = lot.noCertificate ? [] : lot.documents.map(presented);
  const entries = await deps.lots.ledger(certificateIdsOf(lot, view, deps.ed25519));
  const fresh = view.withFreshRevocations(entries);
  const used = new Map(entries.map((entry) => [entry.certificateId, usedByOthers(entry, lot.chargedToLot)]));
  return judgeOnServer(fresh, lot.declaration, documents, (id) => used.get(id) ?? 0, now, deps.ed25519, true);
}

/**
 * Lots left open for longer than their market's limit are closed by the system: one never shown a certificate is
 * MISSING (the certificate that was never shown), one still short of its quantity INSUFFICIENT_COVERAGE.
 * Returns the ids closed.
 */
export async function sweepOverdueLots(deps: LotClosingDeps): Promise<string[]> {
  const now = deps.clock.now();
  const open = await deps.db.lot.findMany({
    where: { status: 'open' },
    select: { id: true, openedAt: true, market: { select: { openLotLimitMinutes: true } } },
    orderBy: { openedAt: 'asc' },
    take: 1000,
  });
  const overdue = open.filter(
    (lot) => now.getTime() - lot.openedAt.getTime() > lot.market.openLotLimitMinutes * 60_000,
  );
  const closed: string[] = [];
  for (const lot of overdue) {
    const result = await closeLot(deps, lot.id, { actor: 'system:lot-sweep' });
    if (result.ok) closed.push(lot.id);
  }
  return closed;
}
