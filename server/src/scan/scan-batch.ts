import { EntityId, ScanSubmission } from '@liangzheng/domain';
import type { ErrorCode } from '../http/error-code.ts';
import { toProblem } from '../http/error-handler.ts';
import { type LotBatchDeps, type LotBatchResult, registerLotBatch } from '../lot/lot-batch.ts';
import { closeLot, type LotClosingDeps } from '../lot/lot-closing.ts';
import type { CloseItemResult, ScanBatch } from './scan-batch-schema.ts';
import { type GateDevice, ingestScan, type ScanError, type ScanServiceDeps } from './scan-service.ts';

export type ScanItemResult =
  | { ok: true; replayed: boolean; response: string }
  | { ok: false; error: ScanError | { code: ErrorCode; message: string } };

export interface BatchResult {
  lots: LotBatchResult[];
  scans: ScanItemResult[];
  closes: CloseItemResult[];
}

export interface ScanBatchDeps {
  scans: ScanServiceDeps;
  lots: LotBatchDeps & LotClosingDeps;
}

/**
 * One batch from a gate device: its lots first, then its scans, each through the single-scan service so a
 * verdict is exactly what `POST /api/v1/scans` would give and a re-sent scanId replays its first answer. Scans of
 * one lot are judged one after another in batch order (each sees the ones before); different lots are judged
 * side by side, so their writes meet in the store's group commit.
 */
export async function ingestScanBatch(
  deps: ScanBatchDeps,
  batch: ScanBatch,
  device: GateDevice,
  actor: string,
): Promise<BatchResult> {
  const lots =
    batch.lots.length > 0
      ? await registerLotBatch(
          deps.lots,
          batch.lots,
          { marketId: device.marketId, gateId: device.gateId },
          actor,
        )
      : [];
  const scans: ScanItemResult[] = new Array(batch.scans.length);
  const byLot = new Map<string, { index: number; submission: ScanSubmission }[]>();
  batch.scans.forEach((item, index) => {
    const parsed = ScanSubmission.safeParse(item);
    if (!parsed.success) {
      scans[index] = {
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: parsed.error.issues[0]?.message ?? 'invalid scan' },
      };
      return;
    }
    const chain = byLot.get(parsed.data.lotId);
    if (chain) chain.push({ index, submission: parsed.data });
    else byLot.set(parsed.data.lotId, [{ index, submission: parsed.data }]);
  });
  await Promise.all(
    [...byLot.values()].map(async (chain) => {
      let stalled: ScanItemResult | undefined;
      for (const { index, submission } of chain) {
        // after a failure worth retrying, the lot's later scans wait too, so a re-send keeps their order
        if (stalled) {
          scans[index] = stalled;
          continue;
        }
        try {
          const result = await ingestScan(deps.scans, submission, device);
          scans[index] = result.ok
            ? { ok: true, replayed: result.replayed, response: result.response }
            : { ok: false, error: result.error };
          if (!result.ok && result.error.code === 'LEDGER_CONTENDED') stalled = scans[index];
        } catch (err) {
          const failed = failedScan(err);
          scans[index] = failed.result;
          if (failed.worthRetrying) stalled = failed.result;
        }
      }
    }),
  );
  const closes: CloseItemResult[] = [];
  for (const item of batch.closes) closes.push(await closeFromGate(deps.lots, item, device, actor));
  return { lots, scans, closes };
}

/**
 * A lot the gate closed, after the batch's scans (so a close never overtakes the scans read before it). A lot
 * already closed, by an earlier send of this close or by the sweep, is done: the gate stops sending it.
 */
async function closeFromGate(
  deps: LotClosingDeps,
  item: unknown,
  device: GateDevice,
  actor: string,
): Promise<CloseItemResult> {
  const lotId = EntityId.safeParse(item);
  if (!lotId.success) {
    return {
      lotId: null,
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'a close names a lot id' },
    };
  }
  const closed = await closeLot(deps, lotId.data, { actor, marketId: device.marketId });
  if (closed.ok) return { lotId: lotId.data, ok: true, outcome: closed.verdict.outcome };
  if (closed.error.code === 'LOT_CLOSED') {
    const lot = await deps.db.lot.findUnique({ where: { id: lotId.data }, select: { outcome: true } });
    return { lotId: lotId.data, ok: true, outcome: lot?.outcome ?? null };
  }
  const code = closed.error.code === 'NOT_FOUND' ? 'LOT_NOT_FOUND' : closed.error.code;
  return { lotId: lotId.data, ok: false, error: { code, message: closed.error.message } };
}

/**
 * A scan whose ingest threw, classified as the single path's error handler would answer it: a problem with the
 * scan itself (a value the database cannot store, a broken reference) is refused for good, so the gate stops
 * re-sending it; only a 5xx (the database away, an unexpected failure) is worth sending again.
 */
function failedScan(err: unknown): { result: ScanItemResult; worthRetrying: boolean } {
  const problem = toProblem(err);
  if (problem.status < 500) {
    return {
      result: { ok: false, error: { code: problem.code, message: problem.message } },
      worthRetrying: false,
    };
  }
  const message =
    problem.code === 'DATABASE_UNAVAILABLE' ? 'the scan was not stored; send it again' : problem.message;
  return { result: { ok: false, error: { code: problem.code, message } }, worthRetrying: true };
}

/**
 * The answer as JSON text, each scan's stored answer embedded as it was first written, so a re-sent scan gets
 * the first answer byte for byte here too.
 */
export function batchAnswerJson(result: BatchResult): string {
  const scans = result.scans.map((item) =>
    item.ok
      ? `{"ok":true,"replayed":${item.replayed},"answer":${item.response}}`
      : JSON.stringify({ ok: false, error: { code: item.error.code, message: item.error.message } }),
  );
  return `{"lots":${JSON.stringify(result.lots)},"results":[${scans.join(',')}],"closes":${JSON.stringify(result.closes)}}`;
}
