import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import type { Db, Tx } from '../storage/db.ts';

export interface Change<T> {
  actor: string;
  action: string;
  entity: string;
  /** the audit row's data; defaults to the change's input */
  data?: unknown;
  run(tx: Tx): Promise<T>;
  idOf(result: T): string | number;
}

/**
 * Registry storage: every write runs in a transaction with its audit row. Reads that need a scope check
 * return the row with what the check needs (market region, stall market).
 */
export function createRegistryRepository(db: Db, audit: AuditLog, clock: Clock) {
  async function change<T>(c: Change<T>): Promise<T> {
    return db.$transaction(async (tx) => {
      const result = await c.run(tx);
      await audit.append(tx, {
        actor: c.actor,
        action: c.action,
        entity: c.entity,
        entityId: String(c.idOf(result)),
        data: c.data ?? {},
      });
      return result;
    });
  }

  return {
    change,
    now: () => clock.now(),
    regions: {
      list: () => db.region.findMany({ orderBy: { code: 'asc' } }),
      find: (code: string) => db.region.findUnique({ where: { code } }),
    },
    markets: {
      list: () => db.market.findMany({ orderBy: { id: 'asc' } }),
      find: (id: number) => db.market.findUnique({ where: { id } }),
    },
    gates: {
      list: (marketIds?: number[]) =>
        db.gate.findMany({ where: marketIds ? { marketId: { in: marketIds } } : {}, orderBy: { id: 'asc' } }),
      find: (id: number) => db.gate.findUnique({ where: { id }, include: { market: true } }),
    },
    stalls: {
      list: (marketIds?: number[]) =>
        db.stall.findMany({
          where: marketIds ? { marketId: { in: marketIds } } : {},
          orderBy: { id: 'asc' },
        }),
      find: (id: number) => db.stall.findUnique({ where: { id }, include: { market: true } }),
    },
    vendors: {
      listWithMarkets: () =>
        db.vendor.findMany({ orderBy: { id: 'asc' }, include: { stalls: { include: { market: true } } } }),
      find: (id: number) =>
        db.vendor.findUnique({ where: { id }, include: { stalls: { include: { market: true } } } }),
    },
    issuers: {
      list: () => db.issuer.findMany({ orderBy: { id: 'asc' } }),
      find: (id: number) => db.issuer.findUnique({ where: { id } }),
    },
    issuerKeys: {
      list: (issuerId: number) =>
        db.issuerKey.findMany({ where: { issuerId }, orderBy: { validFrom: 'asc' } }),
      find: (id: string) => db.issuerKey.findUnique({ where: { id }, include: { issuer: true } }),
    },
    devices: {
      list: (gateIds?: number[]) =>
        db.device.findMany({
          where: gateIds ? { gateId: { in: gateIds } } : {},
          orderBy: { createdAt: 'asc' },
        }),
      find: (id: string) =>
        db.device.findUnique({ where: { id }, include: { gate: { include: { market: true } } } }),
    },
    users: {
      list: () => db.user.findMany({ orderBy: { id: 'asc' }, include: { market: true } }),
      find: (id: number) => db.user.findUnique({ where: { id }, include: { market: true } }),
    },
  };
}
export type RegistryRepository = ReturnType<typeof createRegistryRepository>;
