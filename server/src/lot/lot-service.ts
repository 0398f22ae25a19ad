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

export interface LotDeps {
  db: Db;
  trust: TrustSource;
  ed25519: Ed25519;
  clock: Clock;
  live: LiveFeed;
  audit: AuditLog;
}

export type LotError =
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'INVALID_REFERENCE'; message: string }
  | { code: 'ALREADY_EXISTS'; message: string };

export type LotCreation =
  | { ok: true; lotId: string; verdict: VerdictResult | null; violationId: string | null; replayed: boolean }
  | { ok: false; error: LotError };

function toPresented(document: LotDocumentInput): PresentedDocument {
  return document.type === 'paper'
    ? { type: 'paper', fields: document.fields }
    : { type: 'second_document', kind: document.kind, number: document.number };
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
  const verdict = judgedOnArrival(input)
    ? judgeOnServer(
        await deps.trust.current(),
        input.declaration,
        input.noCertificate ? [] : input.documents.map(toPresented),
        () => 0,
        now,
        deps.ed25519,
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

/**
 * Lots left open with no code presented for longer than their market's limit are judged MISSING: the
 * certificate that was never shown. Returns the ids judged.
 */
export async function sweepOverdueLots(deps: LotDeps): Promise<string[]> {
  const now = deps.clock.now();
  const open = await deps.db.lot.findMany({
    where: { status: 'open', documents: { none: { type: 'code' } } },
    select: {
      id: true,
      marketId: true,
      gateId: true,
      openedAt: true,
      productName: true,
      productCode: true,
      category: true,
      quantity: true,
      unit: true,
      market: { select: { regionCode: true, openLotLimitMinutes: true } },
    },
    orderBy: { openedAt: 'asc' },
    take: 1000,
  });
  const overdue = open.filter(
    (lot) => now.getTime() - lot.openedAt.getTime() > lot.market.openLotLimitMinutes * 60_000,
  );
  if (overdue.length === 0) return [];
  const view = await deps.trust.current();
  const judged: string[] = [];
  for (const lot of overdue) {
    const declaration = {
      productName: lot.productName,
      ...(lot.productCode === null ? {} : { productCode: lot.productCode }),
      category: lot.category,
      quantity: lot.quantity,
      unit: lot.unit,
    } as LotDeclaration;
    const verdict = judgeOnServer(view, declaration, [], () => 0, now, deps.ed25519);
    const violationId = await deps.db.$transaction(async (tx) => {
      // Judged only if still open: a scan may have arrived since the lots were listed.
      const still = await tx.lot.updateMany({
        where: { id: lot.id, status: 'open' },
        data: { status: 'judging' },
      });
      if (still.count === 0) return undefined;
      await deps.audit.append(tx, {
        actor: 'system:lot-sweep',
        action: 'lot.judged_missing',
        entity: 'lot',
        entityId: lot.id,
        data: { openedAt: lot.openedAt.toISOString() },
      });
      return recordVerdict(tx, {
        lotId: lot.id,
        marketId: lot.marketId,
        regionCode: lot.market.regionCode,
        scanId: null,
        verdict,
        at: now,
        evidence: { lotId: lot.id, openedAt: lot.openedAt.toISOString(), sweptAt: now.toISOString() },
      });
    });
    if (violationId === undefined) continue;
    judged.push(lot.id);
    announceLot(
      deps.live,
      { ...lot, regionCode: lot.market.regionCode },
      declaration,
      verdict,
      violationId,
      now,
    );
  }
  return judged;
}
