import { createHash } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import type { Db, Dialect, Tx } from '../storage/db.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  data?: unknown;
}

export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  data: string;
  prevHash: string;
  hash: string;
}

/** The fields a row's hash covers, in a fixed order. `seq` is left out: the chain itself fixes the order. */
export function canonicalRow(row: Omit<AuditRow, 'seq' | 'hash' | 'prevHash'>): string {
  return JSON.stringify([row.at.toISOString(), row.actor, row.action, row.entity, row.entityId, row.data]);
}

export const chainHash = (prevHash: string, canonical: string): string =>
  createHash('sha256').update(prevHash).update(canonical).digest('hex');

/** Stable JSON (sorted keys) so the stored data string hashes the same everywhere. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? {}, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Appends to the hash-chained audit log inside the caller's transaction, so the row exists iff the change does.
 * On PostgreSQL a transaction-scoped advisory lock serialises appends; SQLite transactions already are serial.
 */
export function createAuditLog(dialect: Dialect, clock: Clock) {
  return {
    async append(tx: Tx, entry: AuditEntry): Promise<void> {
      if (dialect === 'postgresql') await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(7355608)');
      const last = await tx.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
      const prevHash = last?.hash ?? GENESIS_HASH;
      const row = {
        at: clock.now(),
        actor: entry.actor,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId,
        data: canonicalJson(entry.data),
      };
      await tx.auditLog.create({ data: { ...row, prevHash, hash: chainHash(prevHash, canonicalRow(row)) } });
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;

export type ChainCheck =
  | { ok: true; rows: number }
  | { ok: false; rows: number; firstBadSeq: number; problem: 'hash_mismatch' | 'broken_link' };

/** Walks the chain in order and names the first row whose hash or link does not hold. */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainCheck> {
  let prevHash = GENESIS_HASH;
  let after = 0;
  let rows = 0;
  for (;;) {
    const page = await db.auditLog.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: pageSize,
    });
    for (const row of page) {
      if (row.prevHash !== prevHash) return { ok: false, rows, firstBadSeq: row.seq, problem: 'broken_link' };
      if (chainHash(row.prevHash, canonicalRow(row)) !== row.hash) {
        return { ok: false, rows, firstBadSeq: row.seq, problem: 'hash_mismatch' };
      }
      prevHash = row.hash;
      rows += 1;
      after = row.seq;
    }
    if (page.length < pageSize) return { ok: true, rows };
  }
}
