import type { Basis, InventoryItemView, InventoryState, Unit } from '@liangzheng/domain';
import type { Prisma } from '@liangzheng/prisma';
import { ledgerTolerance } from '../ledger/ledger.ts';
import { holdingRapidTests, rapidTestHoldReason } from '../rapid-test/rapid-test-hold.ts';
import type { Db, Tx } from '../storage/db.ts';

/** Whose goods: a stall, or the market's unassigned stock (`stallId` null). */
export interface Holder {
  marketId: number;
  stallId: number | null;
}

export const lotItemId = (lotId: string, certificateId: string) => `lot:${lotId}:${certificateId}`;
export const keptItemId = (certificateId: string) => `out:${certificateId}`;

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown })?.code === 'P2002';

/**
 * Creates, if absent, the inventory items of the holder's accepted lots: per lot and certificate, what the lot
 * charged to that certificate's ledger. Lazily, on read or draw, so the gate's scan path stays as it is; the
 * deterministic id makes two readers at once create each item once.
 */
export async function materialise(db: Db, holder: Holder): Promise<number> {
  const lots = await db.lot.findMany({
    where: {
      marketId: holder.marketId,
      stallId: holder.stallId,
      outcome: 'accept',
      status: { in: ['judged', 'closed'] },
      inventory: { none: {} },
      // Only lots that make items: one accepted on paper alone must not be fetched again on every read.
      documents: { some: { certificateId: { not: null }, quantityClaim: { gt: 0 } } },
    },
    select: {
      id: true,
      judgedAt: true,
      openedAt: true,
      rapidTests: { where: holdingRapidTests, select: { id: true }, take: 1 },
      documents: {
        where: { certificateId: { not: null }, quantityClaim: { gt: 0 } },
        select: { certificateId: true, quantityClaim: true },
      },
    },
    take: 500,
  });
  const certificateIds = [...new Set(lots.flatMap((lot) => lot.documents.map((d) => d.certificateId!)))];
  if (certificateIds.length === 0) return 0;
  const units = new Map(
    (
      await db.certificate.findMany({
        where: { id: { in: certificateIds } },
        select: { id: true, unit: true },
      })
    ).map((c) => [c.id, c.unit]),
  );
  let created = 0;
  for (const lot of lots) {
    const claimed = new Map<string, number>();
    for (const document of lot.documents) {
      const id = document.certificateId!;
      claimed.set(id, (claimed.get(id) ?? 0) + (document.quantityClaim ?? 0));
    }
    for (const [certificateId, received] of claimed) {
      try {
        await db.inventoryItem.create({
          data: {
            id: lotItemId(lot.id, certificateId),
            marketId: holder.marketId,
            stallId: holder.stallId,
            certificateId,
            lotId: lot.id,
            received,
            unit: units.get(certificateId) ?? 'kg',
            receivedAt: lot.judgedAt ?? lot.openedAt,
            // A positive rapid test holds the lot's goods, made now or later (docs/rapid-test.md).
            ...(lot.rapidTests.length > 0 ? { held: true, heldReason: rapidTestHoldReason } : {}),
          },
        });
        created++;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
  }
  return created;
}

const withCertificate = {
  certificate: {
    select: {
      kind: true,
      status: true,
      productCode: true,
      productName: true,
      category: true,
      issuerName: true,
      originText: true,
      originRegion: true,
      basis: true,
      unverifiedSources: true,
    },
  },
} as const;

type ItemRow = Awaited<ReturnType<typeof findItems>>[number];

interface ItemQuery {
  where: Prisma.InventoryItemWhereInput;
  orderBy?: Prisma.InventoryItemOrderByWithRelationInput[];
  take?: number;
}

function findItems(db: Db | Tx, query: ItemQuery) {
  return db.inventoryItem.findMany({ ...query, include: withCertificate });
}

export function stateOf(item: { held: boolean; received: number; drawn: number }, certificateStatus: string) {
  const left = Math.max(0, item.received - item.drawn);
  const state: InventoryState =
    item.held || certificateStatus !== 'valid' ? 'held' : left <= ledgerTolerance ? 'used_up' : 'available';
  return { left, state };
}

export function toItemView(row: ItemRow): InventoryItemView {
  const { left, state } = stateOf(row, row.certificate.status);
  return {
    id: row.id,
    marketId: row.marketId,
    stallId: row.stallId,
    certificateId: row.certificateId,
    certificateKind: row.certificate.kind,
    productCode: row.certificate.productCode,
    productName: row.certificate.productName,
    category: row.certificate.category,
    issuerName: row.certificate.issuerName,
    originText: row.certificate.originText,
    basis: row.certificate.basis as Basis,
    lotId: row.lotId,
    transformationId: row.transformationId,
    received: row.received,
    drawn: row.drawn,
    left,
    unit: row.unit as Unit,
    held: state === 'held',
    heldReason: row.heldReason ?? (row.certificate.status === 'valid' ? null : '合格证已作废'),
    state,
    receivedAt: row.receivedAt.toISOString(),
    unverifiedSources: row.certificate.unverifiedSources,
  };
}

/** The holder's items, newest first; those used up only when asked for. */
export async function listInventory(db: Db, holder: Holder, all: boolean): Promise<InventoryItemView[]> {
  await materialise(db, holder);
  const rows = await findItems(db, {
    where: { marketId: holder.marketId, stallId: holder.stallId },
    orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }],
    take: 1000,
  });
  return rows.map(toItemView).filter((item) => all || item.state !== 'used_up');
}

export async function findItem(db: Db | Tx, id: string): Promise<ItemRow | null> {
  return (await findItems(db, { where: { id } }))[0] ?? null;
}

/** Puts a voided output's draw back on the item it came from. */
export async function returnToItem(tx: Tx, id: string, quantity: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE "InventoryItem" SET "drawn" = CASE WHEN "drawn" > ${quantity} THEN "drawn" - ${quantity} ELSE 0 END
    WHERE "id" = ${id}`;
}
