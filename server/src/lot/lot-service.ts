import { randomUUID } from 'node:crypto';
import type {
  Ed25519,
  LotCreate,
  LotDeclaration,
  LotDocumentInput,
  PresentedDocument,
  VerdictResult,
} from '@liangzheng/domain';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import { judgeOnServer } from '../scan/server-judgement.ts';
import type { Db } from '../storage/db.ts';
import type { TrustSource } from '../trust/trust-source.ts';
import { arrivalTime } from './arrival-time.ts';
import { documentId } from './document-id.ts';
import { recordVerdict } from './lot-verdict.ts';
import { type PhotoBudget, photoBudgetExceeded, photoBytes } from './photo-budget.ts';

export interface LotDeps {
  db: Db;
  trust: TrustSource;
  ed25519: Ed25519;
  clock: Clock;
  live: LiveFeed;
  audit: AuditLog;
  /** what each device or user may still upload in photos today; absent where lots carry no photos */
  photoBudget?: PhotoBudget;
}

export type LotError =
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'INVALID_REFERENCE'; message: string }
  | { code: 'ALREADY_EXISTS'; message: string }
  | { code: 'PHOTO_BUDGET_EXCEEDED'; message: string };

export type LotCreation =
  | { ok: true; lotId: string; verdict: VerdictResult | null; violationId: string | null; replayed: boolean }
  | { ok: false; error: LotError };

function toPresented(document: LotDocumentInput): PresentedDocument {
  return document.type === 'paper'
    ? { type: 'paper', fields: document.fields }
    : { type: 'second_document', kind: document.kind, number: document.number };
}

/** The bytes of the photos a lot brings, as they will be stored. */
function photoBytesOf(input: Pick<LotCreate, 'documents'>): number {
  return photoBytes(input.documents.map((document) => (document.type === 'paper' ? document.photo : null)));
}

/**
 * A lot is judged at once when nothing more is coming: registered as having no certificate (MISSING), or shown
 * a paper certificate (PAPER_UNVERIFIED, for review). Otherwise it stays open for its codes to be scanned.
 */
export function judgedOnArrival(input: Pick<LotCreate, 'noCertificate' | 'documents'>): boolean {
  return input.noCertificate || input.documents.some((document) => document.type === 'paper');
}

export async function createLot(
  deps: LotDeps,
  input: LotCreate,
  at: { marketId: number; gateId: number | null },
  actor: string,
): Promise<LotCreation> {
  const id = input.id ?? randomUUID();
  const market = await deps.db.market.findUnique({
    where: { id: at.marketId },
    select: { regionCode: true },
  });
  if (!market)
    return { ok: false, error: { code: 'INVALID_REFERENCE', message: `no market ${at.marketId}` } };
  const existing = await deps.db.lot.findUnique({ where: { id }, select: { marketId: true } });
  if (existing) {
    if (existing.marketId !== at.marketId) {
      return { ok: false, error: { code: 'ALREADY_EXISTS', message: `lot id ${id} is taken` } };
    }
    return { ok: true, lotId: id, verdict: null, violationId: null, replayed: true };
  }
  if (input.stallId !== undefined) {
    const stall = await deps.db.stall.findUnique({
      where: { id: input.stallId },
      select: { marketId: true },
    });
    if (stall?.marketId !== at.marketId) {
      return {
        ok: false,
        error: { code: 'INVALID_REFERENCE', message: `no stall ${input.stallId} at this market` },
      };
    }
  }
  const now = deps.clock.now();
  const photoBytes = photoBytesOf(input);
  if (photoBytes > 0 && deps.photoBudget && !deps.photoBudget.fits(actor, photoBytes, now)) {
    return { ok: false, error: photoBudgetExceeded };
  }
  const verdict = judgedOnArrival(input)
    ? judgeOnServer(
        await deps.trust.current(),
        input.declaration,
        input.noCertificate ? [] : input.documents.map(toPresented),
        () => 0,
        now,
        deps.ed25519,
        true,
      )
    : null;
  const violationId = await deps.db.$transaction(async (tx) => {
    await tx.lot.create({
      data: {
        id,
        marketId: at.marketId,
        gateId: at.gateId,
        stallId: input.stallId ?? null,
        plate: input.plate,
        supplier: input.supplier,
        supplierAddress: input.supplierAddress,
        supplierContact: input.supplierContact,
        productName: input.declaration.productName,
        productCode: input.declaration.productCode ?? null,
        category: input.declaration.category,
        quantity: input.declaration.quantity,
        unit: input.declaration.unit,
        noCertificate: input.noCertificate,
        openedAt: arrivalTime(input.arrivedAt, now),
        documents: {
          create: input.documents.map((document, i) => ({
            id: documentId(new Date(now.getTime() + i)),
            type: document.type,
            secondKind: document.type === 'second_document' ? document.kind : null,
            fields: JSON.stringify(document.type === 'paper' ? document.fields : { number: document.number }),
            photo: document.type === 'paper' && document.photo ? Buffer.from(document.photo, 'base64') : null,
            createdAt: now,
          })),
        },
      },
    });
    await deps.audit.append(tx, {
      actor,
      action: 'lot.registered',
      entity: 'lot',
      entityId: id,
      data: {
        marketId: at.marketId,
        gateId: at.gateId,
        noCertificate: input.noCertificate,
        outcome: verdict?.outcome,
      },
    });
    if (!verdict) return null;
    return recordVerdict(tx, {
      lotId: id,
      marketId: at.marketId,
      regionCode: market.regionCode,
      scanId: null,
      verdict,
      at: now,
      evidence: {
        lotId: id,
        noCertificate: input.noCertificate,
        plate: input.plate,
        supplier: input.supplier,
      },
    });
  });
  announceLot(
    deps.live,
    { id, marketId: at.marketId, gateId: at.gateId, regionCode: market.regionCode },
    input.declaration,
    verdict,
    violationId,
    now,
  );
  if (photoBytes > 0) deps.photoBudget?.charge(actor, photoBytes, now);
  return { ok: true, lotId: id, verdict, violationId, replayed: false };
}

export function announceLot(
  live: LiveFeed,
  lot: { id: string; marketId: number; gateId: number | null; regionCode: string },
  declaration: Pick<LotDeclaration, 'productName' | 'quantity' | 'unit'>,
  verdict: VerdictResult | null,
  violationId: string | null,
  at: Date,
): void {
  live.toMarket(lot.marketId, 'lot:arrival', {
    lotId: lot.id,
    gateId: lot.gateId,
    productName: declaration.productName,
    quantity: declaration.quantity,
    unit: declaration.unit,
    outcome: verdict?.outcome ?? null,
    at: at.toISOString(),
  });
  if (violationId && verdict) {
    live.toRegion(lot.regionCode, 'violation:created', {
      violationId,
      lotId: lot.id,
      marketId: lot.marketId,
      regionCode: lot.regionCode,
      reason: verdict.primary?.code ?? verdict.reasons[0]?.code ?? 'MISSING',
      at: at.toISOString(),
    });
  }
}
