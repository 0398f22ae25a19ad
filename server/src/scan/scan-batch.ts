import { ScanSubmission } from '@liangzheng/domain';
import { type LotBatchDeps, type LotBatchResult, registerLotBatch } from '../lot/lot-batch.ts';
import type { ScanBatch } from './scan-batch-schema.ts';
import { type GateDevice, ingestScan, type ScanError, type ScanServiceDeps } from './scan-service.ts';

export type ScanItemResult =
  | { ok: true; replayed: boolean; response: string }
  | { ok: false; error: ScanError | { code: 'VALIDATION_FAILED' | 'DATABASE_UNAVAILABLE'; message: string } };

export interface BatchResult {
  lots: LotBatchResult[];
  scans: ScanItemResult[];
}

export interface ScanBatchDeps {
  scans: ScanServiceDeps;
  lots: LotBatchDeps;
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
        } catch {
          stalled = {
            ok: false,
            error: { code: 'DATABASE_UNAVAILABLE', message: 'the scan was not stored; send it again' },
          };
          scans[index] = stalled;
        }
      }
    }),
  );
  return { lots, scans };
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
  return `{"lots":${JSON.stringify(result.lots)},"results":[${scans.join(',')}]}`;
}
