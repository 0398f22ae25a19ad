import {
  canSeeStall,
  type Principal,
  type Unit,
  type UnverifiedSourceKind,
  type UnverifiedSourceView,
} from '@liangzheng/domain';
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

export type UnverifiedPhotoLookup =
  | { ok: true; photo: Uint8Array }
  | { ok: false; code: 'NOT_FOUND' | 'NO_PHOTO'; message: string };

/**
 * The photo of a transformation's `index`-th declared source (0-based, as in `unverifiedSources`), for whoever may
 * see the transformation's stall: its vendor, that market's staff, regulators of its region, admins. A
 * transformation out of sight is answered exactly as one that does not exist.
 */
export async function unverifiedSourcePhoto(
  db: Db,
  principal: Principal,
  transformationId: string,
  index: number,
): Promise<UnverifiedPhotoLookup> {
  const transformation = await db.transformation.findUnique({
    where: { id: transformationId },
    select: { stall: { select: { id: true, market: { select: { id: true, regionCode: true } } } } },
  });
  if (!transformation || !canSeeStall(principal, transformation.stall))
    return { ok: false, code: 'NOT_FOUND', message: `no transformation ${transformationId}` };
  // Rows are stored as `<transformationId>:<k>` in the order declared (transformation-decision.ts).
  const source = await db.unverifiedSource.findUnique({
    where: { id: `${transformationId}:${index}` },
    select: { photo: true },
  });
  if (!source)
    return {
      ok: false,
      code: 'NOT_FOUND',
      message: `transformation ${transformationId} has no source ${index}`,
    };
  if (!source.photo)
    return {
      ok: false,
      code: 'NO_PHOTO',
      message: `source ${index} of transformation ${transformationId} was declared without a photo`,
    };
  return { ok: true, photo: source.photo };
}
