import type { Unit, UnverifiedSourceKind, UnverifiedSourceView } from '@liangzheng/domain';
import type { Db, Tx } from '../storage/db.ts';

/**
 * A transformation's unverified sources (docs/custody.md) as the vendor declared them, in the order declared;
 * photos stay in the database.
 */
export async function unverifiedSourcesOf(
  db: Db | Tx,
  transformationId: string,
): Promise<UnverifiedSourceView[]> {
  const rows = await db.unverifiedSource.findMany({
    where: { transformationId },
    select: { kind: true, description: true, quantity: true, unit: true, code: true, photoType: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => ({
    kind: row.kind as UnverifiedSourceKind,
    description: row.description,
    quantity: row.quantity,
    unit: row.unit as Unit,
    code: row.code,
    hasPhoto: row.photoType !== null,
  }));
}
