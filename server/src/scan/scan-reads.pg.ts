import { parseDatabaseUrl } from '@liangzheng/prisma';
import pg from 'pg';
import type { LedgerEntry } from '../ledger/ledger.ts';
import { type DocumentRow, type LotRow, toLotContext } from './scan-store.sqlite.ts';
import type { Answered, ScanStore } from './scan-store.ts';

/**
 * A read that could not reach PostgreSQL, coded as Prisma's "can't reach database server" (P1001) so the one
 * error handler answers 503 for it exactly as for the Prisma queries around it.
 */
export class ScanReadUnreachable extends Error {
  override readonly name = 'ScanReadUnreachable';
  readonly code = 'P1001';
}

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart), and pg's own
// socket errors, which carry no SQLSTATE.
function unreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57P') || code.startsWith('E');
}

/** A document row of the lot query, all null where the lot has no document. */
type NullableDocument = { [K in keyof DocumentRow]: DocumentRow[K] | null };

/** The scan path's reads: the ones every scan makes before judging, before any write. */
export type ScanReads = Pick<ScanStore, 'answered' | 'lotContext' | 'ledger'> & {
  /**
   * the group-commit writer's own connection, apart from the reads' pool: a batch waiting for a pool client behind
   * a queue of per-scan reads held every scan in it waiting too
   */
  writer: pg.Pool;
  close(): Promise<void>;
};

/**
 * The scan path's reads on PostgreSQL through raw `pg`: three prepared queries per scan (replay, the lot with its
 * documents, ledger) instead of five Prisma round trips through the query compiler.
 */
export function createPgScanReads(databaseUrl: string, max = 6): ScanReads {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind !== 'postgresql') throw new Error('createPgScanReads needs a postgres:// URL');
  const poolOf = (size: number) => {
    const pool = new pg.Pool({
      ...target.connection,
      max: size,
      connectionTimeoutMillis: 3000,
      ...(target.schema ? { options: `-c search_path="${target.schema.replaceAll('"', '""')}"` } : {}),
    });
    // An idle client's error (a restarted server, say) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return pool;
  };
  const pool = poolOf(max);
  const writer = poolOf(1);
  async function query<Row extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<Row>> {
    try {
      return await pool.query<Row>(config);
    } catch (error) {
      if (unreachable(error))
        throw new ScanReadUnreachable(`Can't reach database: ${String(error)}`, { cause: error });
      throw error;
    }
  }

  return {
    writer,
    async answered(scanId) {
      const { rows } = await query<Answered>({
        name: 'lz_scan_answered',
        text: `SELECT "response", "deviceId", "marketId" FROM "Scan" WHERE "id" = $1`,
        values: [scanId],
      });
      return rows[0];
    },
    async lotContext(lotId) {
      // One row per document in order (one row with no document columns for a lot without any), the lot's own
      // columns repeated on each: one statement instead of a lot query and a documents query.
      const { rows } = await query<LotRow & NullableDocument>({
        name: 'lz_scan_lot_with_documents',
        text: `SELECT l."id", l."marketId", l."gateId", l."status", l."noCertificate", l."productName",
            l."productCode", l."category", l."quantity", l."unit", m."regionCode",
            d."type", d."scanId", d."certificateId", d."secondKind", d."fields", d."quantityClaim", s."rawText"
          FROM "Lot" l JOIN "Market" m ON m."id" = l."marketId"
            LEFT JOIN "LotDocument" d ON d."lotId" = l."id"
            LEFT JOIN "Scan" s ON s."id" = d."scanId"
          WHERE l."id" = $1
          ORDER BY d."createdAt", d."id"`,
        values: [lotId],
      });
      const lot = rows[0];
      if (!lot) return undefined;
      return toLotContext(
        lot,
        rows.filter((row): row is LotRow & DocumentRow => row.type !== null),
      );
    },
    async ledger(certificateIds) {
      if (certificateIds.length === 0) return [];
      const { rows } = await query<LedgerEntry>({
        name: 'lz_scan_ledger',
        text: `SELECT "id" AS "certificateId", "quantity", "usedQuantity", "status" FROM "Certificate"
          WHERE "id" = ANY($1::text[])`,
        values: [[...certificateIds]],
      });
      return rows;
    },
    async close() {
      await Promise.all([pool.end(), writer.end()]);
    },
  };
}
