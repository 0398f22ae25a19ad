import { LotCreate } from '@liangzheng/domain';
import { canonicalJson, canonicalRow, chainHash, GENESIS_HASH } from '../audit/audit-log.ts';
import type { Dialect } from '../storage/db.ts';
import { arrivalTime } from './arrival-time.ts';
import { announceLot, createLot, judgedOnArrival, type LotDeps } from './lot-service.ts';

export interface LotBatchDeps extends LotDeps {
  dialect: Dialect;
}

export type LotBatchResult =
  | { lotId: string; ok: true; replayed: boolean }
  | { lotId: string | null; ok: false; error: { code: string; message: string } };

/** The audit chain's advisory lock on PostgreSQL; the same key the audit log and the scan store take. */
const auditLockKey = 7355608;

/**
 * Registers a device's lots in one go, as `POST /api/v1/lots` would one by one. Plain arrivals (a declaration,
 * nothing shown yet) are written together in one transaction with their audit rows; anything judged on arrival
 * (no certificate, paper) or naming a stall goes through `createLot` itself. A known id at the same market is
 * a replay; each item gets its own answer, in order.
 */
export async function registerLotBatch(
  deps: LotBatchDeps,
  items: readonly unknown[],
  at: { marketId: number; gateId: number },
  actor: string,
): Promise<LotBatchResult[]> {
  const results: LotBatchResult[] = new Array(items.length);
  const plain = new Map<string, { index: number[]; input: LotCreate }>();
  const special: { index: number; input: LotCreate }[] = [];
  items.forEach((item, index) => {
    const parsed = LotCreate.safeParse(item);
    if (!parsed.success) {
      const id = (item as { id?: unknown } | null)?.id;
      results[index] = {
        lotId: typeof id === 'string' ? id : null,
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: parsed.error.issues[0]?.message ?? 'invalid lot' },
      };
      return;
    }
    const input = parsed.data;
    if (!input.id || judgedOnArrival(input) || input.stallId !== undefined) {
      special.push({ index, input });
      return;
    }
    const seen = plain.get(input.id);
    if (seen) seen.index.push(index);
    else plain.set(input.id, { index: [index], input });
  });

  if (plain.size > 0) await registerPlain(deps, plain, at, actor, results);
  for (const { index, input } of special) {
    const created = await createLot(deps, input, at, actor);
    results[index] = created.ok
      ? { lotId: created.lotId, ok: true, replayed: created.replayed }
      : { lotId: input.id ?? null, ok: false, error: created.error };
  }
  return results;
}

async function registerPlain(
  deps: LotBatchDeps,
  plain: Map<string, { index: number[]; input: LotCreate }>,
  at: { marketId: number; gateId: number },
  actor: string,
  results: LotBatchResult[],
): Promise<void> {
  const settle = (id: string, result: (first: boolean) => LotBatchResult) =>
    plain.get(id)!.index.forEach((index, i) => {
      results[index] = result(i === 0);
    });
  const market = await deps.db.market.findUnique({
    where: { id: at.marketId },
    select: { regionCode: true },
  });
  if (!market) {
    for (const id of plain.keys()) {
      settle(id, () => ({
        lotId: id,
        ok: false,
        error: { code: 'INVALID_REFERENCE', message: `no market ${at.marketId}` },
      }));
    }
    return;
  }
  const now = deps.clock.now();
  const fresh = await deps.db.$transaction(async (tx) => {
    const existing = await tx.lot.findMany({
      where: { id: { in: [...plain.keys()] } },
      select: { id: true, marketId: true },
    });
    for (const lot of existing) {
      settle(lot.id, () =>
        lot.marketId === at.marketId
          ? { lotId: lot.id, ok: true, replayed: true }
          : {
              lotId: lot.id,
              ok: false,
              error: { code: 'ALREADY_EXISTS', message: `lot id ${lot.id} is taken` },
            },
      );
    }
    const known = new Set(existing.map((lot) => lot.id));
    const fresh = [...plain.values()].filter(({ input }) => !known.has(input.id!)).map(({ input }) => input);
    if (fresh.length === 0) return fresh;
    await tx.lot.createMany({
      data: fresh.map((input) => ({
        id: input.id!,
        marketId: at.marketId,
        gateId: at.gateId,
        stallId: null,
        plate: input.plate,
        supplier: input.supplier,
        supplierAddress: input.supplierAddress,
        supplierContact: input.supplierContact,
        productName: input.declaration.productName,
        productCode: input.declaration.productCode ?? null,
        category: input.declaration.category,
        quantity: input.declaration.quantity,
        unit: input.declaration.unit,
        noCertificate: false,
        openedAt: arrivalTime(input.arrivedAt, now),
      })),
    });
    // The audit chain continued in memory: one read of its head and one insert, however many lots.
    if (deps.dialect === 'postgresql')
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${auditLockKey})`);
    const last = await tx.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
    let prevHash = last?.hash ?? GENESIS_HASH;
    const audit = fresh.map((input) => {
      const row = {
        at: now,
        actor,
        action: 'lot.registered',
        entity: 'lot',
        entityId: input.id!,
        data: canonicalJson({ marketId: at.marketId, gateId: at.gateId, noCertificate: false }),
      };
      const hash = chainHash(prevHash, canonicalRow(row));
      const entry = { ...row, prevHash, hash };
      prevHash = hash;
      return entry;
    });
    await tx.auditLog.createMany({ data: audit });
    return fresh;
  });
  for (const input of fresh) {
    settle(input.id!, (first) => ({ lotId: input.id!, ok: true, replayed: !first }));
    announceLot(
      deps.live,
      { id: input.id!, marketId: at.marketId, gateId: at.gateId, regionCode: market.regionCode },
      input.declaration,
      null,
      null,
      now,
    );
  }
}
