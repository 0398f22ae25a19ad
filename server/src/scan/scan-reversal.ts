import { randomUUID } from 'node:crypto';
import {
  type ScanReversal,
  type ScanReversalRefusal,
  type ScanReversalRequest,
  scanUndoMinutes,
  type VerdictResult,
} from '@liangzheng/domain';
import { type Claim, ledgerReturns, ledgerTolerance, usedByOthers } from '../ledger/ledger.ts';
import type { LotClosingDeps } from '../lot/lot-closing.ts';
import { announceLot } from '../lot/lot-service.ts';
import { reasonRows } from '../lot/lot-verdict.ts';
import { holdingRapidTests } from '../rapid-test/rapid-test-hold.ts';
import type { Tx } from '../storage/db.ts';
import { certificateIdsOf, toPresented } from './scan-service.ts';
import type { LotContext, StoredDocument } from './scan-store.ts';
import { judgeOnServer } from './server-judgement.ts';

/** Who undoes a scan: a user of one market (undefined for the platform admin, who may act anywhere). */
export interface Reverser {
  username: string;
  actor: string;
  marketId: number | undefined;
}

export type ScanReversalResult =
  | { ok: true; reversal: ScanReversal }
  | { ok: false; error: { code: ScanReversalRefusal | 'CHANGED_CONCURRENTLY'; message: string } };

const refuse = (code: ScanReversalRefusal | 'CHANGED_CONCURRENTLY', message: string): ScanReversalResult => ({
  ok: false,
  error: { code, message },
});

/** The lot's state as the reversal found it: the write goes ahead only if nothing moved it since. */
interface LotState {
  status: string;
  outcome: string | null;
}

/**
 * A lot whose verdict nobody has acted on yet: still open (pending), or accepted with its goods not yet at a stall
 * and no rapid test on them. A rejected lot has a violation in the regulator's queue, a lot in review awaits staff,
 * and a closed lot is done: those are decided by their own routes, never by undoing a scan.
 */
function reversible(lot: LotState & { inventory: number; rapidTests: number }): boolean {
  if (lot.status === 'open') return true;
  return lot.status === 'judged' && lot.outcome === 'accept' && lot.inventory === 0 && lot.rapidTests === 0;
}

/**
 * Undoes the last scan of a lot (docs/custody.md, "Undoing the last scan"). Never a delete: the scan, its verdict
 * and its audit row stay. The lot is judged again by the shared core on the codes that remain, what it was
 * charged beyond the new claims goes back to each certificate's ledger, the scan's lot document becomes
 * `reversed_code` (so no judgement reads it again), and a ScanReversal row says who, when, why and what was returned.
 */
export async function reverseScan(
  deps: LotClosingDeps,
  scanId: string,
  request: ScanReversalRequest,
  reverser: Reverser,
): Promise<ScanReversalResult> {
  const scan = await deps.db.scan.findUnique({
    where: { id: scanId },
    select: {
      id: true,
      lotId: true,
      marketId: true,
      receivedAt: true,
      reversal: { select: { id: true } },
      device: { select: { gateId: true } },
    },
  });
  if (!scan?.lotId || (reverser.marketId !== undefined && scan.marketId !== reverser.marketId)) {
    return refuse('NOT_FOUND', `no scan ${scanId} at this market`);
  }
  if (scan.reversal) return refuse('ALREADY_REVERSED', `scan ${scanId} was undone already`);
  const now = deps.clock.now();
  if (now.getTime() - scan.receivedAt.getTime() > scanUndoMinutes * 60_000) {
    return refuse('UNDO_WINDOW_PASSED', `scan ${scanId} is older than ${scanUndoMinutes} minutes`);
  }
  const lotId = scan.lotId;
  const lot = await deps.db.lot.findUniqueOrThrow({
    where: { id: lotId },
    select: {
      status: true,
      outcome: true,
      _count: { select: { inventory: true, rapidTests: { where: holdingRapidTests } } },
    },
  });
  const state = { status: lot.status, outcome: lot.outcome };
  if (!reversible({ ...state, inventory: lot._count.inventory, rapidTests: lot._count.rapidTests })) {
    return refuse('SCAN_NOT_REVERSIBLE', `lot ${lotId} is ${lot.status} (${lot.outcome ?? 'no outcome'})`);
  }
  const context = await deps.lots.lotContext(lotId);
  if (!context) return refuse('NOT_FOUND', `no lot ${lotId}`);
  if (lastCodeScan(context.documents) !== scanId) {
    return refuse('SCAN_NOT_LAST', `lot ${lotId} has read another code since scan ${scanId}`);
  }

  const remaining = context.documents.filter((d) => !(d.type === 'code' && d.scanId === scanId));
  const verdict = await judgeRemaining(deps, context, remaining, now);
  if (verdict && verdict.outcome !== 'pending' && verdict.outcome !== 'accept') {
    return refuse('SCAN_NOT_REVERSIBLE', `without this scan lot ${lotId} would be judged ${verdict.outcome}`);
  }
  const returned = ledgerReturns(verdict?.claims ?? [], context.chargedToLot);
  const lotStatus = verdict?.outcome === 'accept' ? 'judged' : 'open';
  const reversal: ScanReversal = {
    id: randomUUID(),
    scanId,
    lotId,
    reason: request.reason,
    note: request.note ?? '',
    reversedBy: reverser.username,
    reversedAt: now.toISOString(),
    returned,
    lotStatus,
    verdict,
  };

  const written = await deps.db.$transaction(async (tx) => {
    // Only if the lot is as judged above and this scan is still its last: a scan or a close meanwhile wins.
    const latest = await tx.lotDocument.findFirst({
      where: { lotId, type: 'code' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, scanId: true },
    });
    if (latest?.scanId !== scanId) return false;
    const moved = await tx.lot.updateMany({
      where: { id: lotId, status: state.status, outcome: state.outcome },
      data: {
        status: lotStatus,
        outcome: verdict?.outcome ?? null,
        judgedAt: lotStatus === 'judged' ? now : null,
      },
    });
    if (moved.count === 0) return false;
    await tx.scanReversal.create({
      data: {
        id: reversal.id,
        scanId,
        lotId,
        marketId: scan.marketId,
        reason: reversal.reason,
        note: reversal.note,
        reversedBy: reverser.username,
        returned: JSON.stringify(returned),
        reversedAt: now,
      },
    });
    await tx.lotDocument.update({ where: { id: latest.id }, data: { type: 'reversed_code' } });
    for (const back of returned) await returnToLedger(tx, lotId, latest.id, back);
    if (verdict) {
      await tx.verdict.create({
        data: {
          id: randomUUID(),
          lotId,
          outcome: verdict.outcome,
          rulesVersion: verdict.rulesVersion,
          source: 'server',
          decidedAt: now,
          reasons: { create: reasonRows(verdict) },
        },
      });
    }
    await deps.audit.append(tx, {
      actor: reverser.actor,
      action: 'scan.reversed',
      entity: 'scan',
      entityId: scanId,
      data: {
        lotId,
        reason: reversal.reason,
        note: reversal.note,
        returned,
        outcome: verdict?.outcome ?? null,
      },
    });
    return true;
  });
  if (!written) return refuse('CHANGED_CONCURRENTLY', `lot ${lotId} changed meanwhile; look again`);
  announceLot(deps.live, context, context.declaration, verdict, null, now);
  // Every gate screen following the lot's gate (and the scanning device's) drops the undone verdict at once.
  for (const gateId of reversalGates(context.gateId, scan.device?.gateId ?? null)) {
    deps.live.toGate(gateId, 'scan:reversed', reversal);
  }
  return { ok: true, reversal };
}

/** The gate rooms told of a reversal: the lot's gate, and the scanning device's when that is another one. */
function reversalGates(lotGateId: number | null, deviceGateId: number | null): number[] {
  return [...new Set([lotGateId, deviceGateId])].filter((id): id is number => id !== null);
}

/** The scan id of the lot's last code read, the only one that may be undone. */
function lastCodeScan(documents: readonly StoredDocument[]): string | null {
  const codes = documents.filter((d) => d.type === 'code');
  return codes.at(-1)?.scanId ?? null;
}

/** The lot judged by the shared core on what remains; null when no code remains, as when it was registered. */
async function judgeRemaining(
  deps: LotClosingDeps,
  lot: LotContext,
  remaining: StoredDocument[],
  now: Date,
): Promise<VerdictResult | null> {
  if (!remaining.some((d) => d.type === 'code')) return null;
  const view = await deps.trust.current();
  const entries = await deps.lots.ledger(
    certificateIdsOf({ ...lot, documents: remaining }, view, deps.ed25519),
  );
  const fresh = view.withFreshRevocations(entries);
  const used = new Map(entries.map((entry) => [entry.certificateId, usedByOthers(entry, lot.chargedToLot)]));
  return judgeOnServer(
    fresh,
    lot.declaration,
    remaining.map(toPresented),
    (id) => used.get(id) ?? 0,
    now,
    deps.ed25519,
  );
}

/**
 * Gives a certificate back what the lot no longer claims, and takes it off the lot's documents that hold the
 * charge: the undone scan's document first, then the earliest (where later reads put their share).
 */
async function returnToLedger(tx: Tx, lotId: string, undoneDocumentId: string, back: Claim): Promise<void> {
  await tx.$executeRaw`UPDATE "Certificate" SET "usedQuantity" =
    CASE WHEN "usedQuantity" > ${back.quantity} THEN "usedQuantity" - ${back.quantity} ELSE 0 END
    WHERE "id" = ${back.certificateId}`;
  const holders = await tx.lotDocument.findMany({
    where: { lotId, certificateId: back.certificateId, quantityClaim: { gt: 0 } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, quantityClaim: true },
  });
  holders.sort((a, b) => Number(b.id === undoneDocumentId) - Number(a.id === undoneDocumentId));
  let left = back.quantity;
  for (const holder of holders) {
    if (left <= ledgerTolerance) break;
    const taken = Math.min(left, holder.quantityClaim ?? 0);
    await tx.lotDocument.update({
      where: { id: holder.id },
      data: { quantityClaim: (holder.quantityClaim ?? 0) - taken },
    });
    left -= taken;
  }
}
