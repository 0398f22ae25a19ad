import {
  type InventoryItemView,
  LotCreate,
  readCode,
  type ScanAnswer,
  type StallReceiptRequest,
} from '@liangzheng/domain';
import { ApiProblem } from '../http/error-code.ts';
import { createLot, type LotDeps } from '../lot/lot-service.ts';
import { problemOf } from '../scan/scan.routes.ts';
import { ingestScan, type ScanServiceDeps } from '../scan/scan-service.ts';
import { findItem, lotItemId, materialise, toItemView } from './inventory.ts';

export interface ReceiptDeps {
  lots: LotDeps;
  scans: ScanServiceDeps;
}

/**
 * A stall scans there has no gate; its receipts are judged as if at one, with the gate id the scan path checks
 * set to this value on both sides. Nothing is announced to a gate room by that number.
 */
const noGate = 0;

export interface Receipt {
  lotId: string;
  outcome: string;
  message: string;
  certificateId: string | null;
  item: InventoryItemView | null;
}

/**
 * Goods received at a stall without passing a gate (a supermarket's direct delivery, a purchase from another
 * stall): a lot opened at the stall, declared from the certificate itself, and the scan ingested through the same
 * `ingestScan` as at a gate — the same core verdict and the same ledger charge. An accepted receipt is an
 * inventory item of the stall at once.
 */
export async function receiveAtStall(
  deps: ReceiptDeps,
  stall: { id: number; marketId: number },
  request: StallReceiptRequest,
  actor: string,
): Promise<Receipt> {
  const view = await deps.scans.trust();
  const reading = readCode(request.rawText, view.index, deps.scans.ed25519);
  const payload = reading.kind === 'liangzheng' ? reading.payload : undefined;
  if (!payload) {
    throw new ApiProblem(
      'VALIDATION_FAILED',
      '不是可读取的亮证合格证码；纸质合格证请在市场入口查验 / not a readable certificate code; paper is checked at the gate',
    );
  }
  const lotId = request.lotId ?? `stall-${request.scanId}`;
  const declaration = {
    productName: payload.productName,
    productCode: payload.productCode,
    category: payload.category,
    quantity: request.quantity ?? (await unadmitted(deps, payload.id, payload.quantity)),
    unit: payload.unit,
  };
  const created = await createLot(
    deps.lots,
    LotCreate.parse({ id: lotId, stallId: stall.id, declaration }),
    { marketId: stall.marketId, gateId: null },
    actor,
  );
  if (!created.ok) throw new ApiProblem(created.error.code, created.error.message);
  const scanned = await ingestScan(
    deps.scans,
    {
      scanId: request.scanId,
      lotId,
      gateId: noGate,
      provenance: {
        source: request.source,
        rawText: request.rawText,
        keystrokeTimings: [],
        deviceTime: deps.scans.clock().toISOString(),
        decoder: 'stall-receipt',
      },
    },
    { deviceId: null, gateId: noGate, marketId: stall.marketId, actor },
  );
  if (!scanned.ok) throw problemOf(scanned.error);
  const answer = JSON.parse(scanned.response) as ScanAnswer;
  const certificateId = answer.verdict.documents.find((d) => d.certificateId)?.certificateId ?? null;
  let item: InventoryItemView | null = null;
  if (answer.verdict.outcome === 'accept' && certificateId) {
    await materialise(deps.lots.db, { marketId: stall.marketId, stallId: stall.id });
    const row = await findItem(deps.lots.db, lotItemId(lotId, certificateId));
    item = row ? toItemView(row) : null;
  }
  return { lotId, outcome: answer.verdict.outcome, message: answer.message, certificateId, item };
}

/** What the certificate has not yet had admitted anywhere: the default for what arrived. */
async function unadmitted(deps: ReceiptDeps, certificateId: string, certified: number): Promise<number> {
  const row = await deps.lots.db.certificate.findUnique({
    where: { id: certificateId },
    select: { quantity: true, usedQuantity: true },
  });
  const left = row ? row.quantity - row.usedQuantity : certified;
  // Nothing left: declare the whole, so the judgement names the re-use rather than an empty lot.
  return left > 1e-9 ? left : certified;
}
