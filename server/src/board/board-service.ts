import type { InventoryItemView, PublicRapidTest } from '@liangzheng/domain';
import { localDay, localDayStart } from '@liangzheng/domain/time/local-day';
import { listInventory } from '../custody/inventory.ts';
import { publicRapidTests } from '../rapid-test/public-results.ts';
import type { Db } from '../storage/db.ts';

const dayMs = 86_400_000;
/** A screen at the entrance shows the latest arrivals; older ones of the day are counted, not listed. */
const listedArrivals = 60;

export interface BoardArrival {
  openedAt: Date;
  productName: string;
  quantity: number;
  unit: string;
  stallNumber: string | null;
  /** 已查验: a code was read, or a paper certificate or second document was checked (docs/figures.md) */
  inspected: boolean;
  outcome: 'accept' | 'review' | 'reject' | null;
}

export interface BoardStall {
  number: string;
  vendorName: string;
  /** the stall's goods on sale or held, each under its certificate */
  items: InventoryItemView[];
}

export interface Board {
  marketName: string;
  day: string;
  arrivals: { total: number; inspected: number; accept: number; review: number; reject: number };
  latestArrivals: BoardArrival[];
  stalls: BoardStall[];
  rapidTests: PublicRapidTest[];
}

/** Everything the market's public 亮证 board shows, for the local day `now` falls on; null for no such market. */
export async function readBoard(
  db: Db,
  marketId: number,
  now: Date,
  timeZone: string,
): Promise<Board | null> {
  const market = await db.market.findUnique({
    where: { id: marketId },
    select: { name: true, active: true },
  });
  if (!market?.active) return null;
  const day = localDay(now, timeZone);
  const start = localDayStart(day, timeZone);
  const lots = await db.lot.findMany({
    where: { marketId, openedAt: { gte: start, lt: new Date(start.getTime() + dayMs) } },
    orderBy: [{ openedAt: 'desc' }, { id: 'asc' }],
    select: {
      openedAt: true,
      productName: true,
      quantity: true,
      unit: true,
      outcome: true,
      stall: { select: { number: true } },
      _count: { select: { documents: true, scans: true } },
    },
  });
  const arrivals = lots.map(
    (lot): BoardArrival => ({
      openedAt: lot.openedAt,
      productName: lot.productName,
      quantity: lot.quantity,
      unit: lot.unit,
      stallNumber: lot.stall?.number ?? null,
      inspected: lot._count.documents > 0 || lot._count.scans > 0,
      outcome: (lot.outcome as BoardArrival['outcome']) ?? null,
    }),
  );
  const count = (keep: (a: BoardArrival) => boolean) => arrivals.filter(keep).length;
  return {
    marketName: market.name,
    day,
    arrivals: {
      total: arrivals.length,
      inspected: count((a) => a.inspected),
      accept: count((a) => a.outcome === 'accept'),
      review: count((a) => a.outcome === 'review'),
      reject: count((a) => a.outcome === 'reject'),
    },
    latestArrivals: arrivals.slice(0, listedArrivals),
    stalls: await stallsOnSale(db, marketId),
    rapidTests: await publicRapidTests(db, marketId, now),
  };
}

/** The market's occupied stalls with their current stock (not what is used up), by stall number. */
async function stallsOnSale(db: Db, marketId: number): Promise<BoardStall[]> {
  const stalls = await db.stall.findMany({
    where: { marketId, active: true, vendor: { isNot: null } },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, vendor: { select: { name: true } } },
  });
  const board: BoardStall[] = [];
  for (const stall of stalls) {
    board.push({
      number: stall.number,
      vendorName: stall.vendor?.name ?? '',
      items: await listInventory(db, { marketId, stallId: stall.id }, false),
    });
  }
  return board;
}
