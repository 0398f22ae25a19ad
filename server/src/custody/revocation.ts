import type { Tx } from '../storage/db.ts';
import { returnToItem } from './inventory.ts';

/** How deep a cascade follows repacks of repacks; real chains are two or three levels. */
const maxCascadeDepth = 32;

/** Why a certificate was voided: by its own issuer, because a source above it was, or by a recall. */
export type VoidKind = 'issuer' | 'cascade' | 'recall';

export interface Revoked {
  certificateId: string;
  reason: string;
  trustVersion: number;
}

/** Every certificate made, at any depth, from `roots` (roots excluded), walking CertificateParent down. */
export async function descendantsOf(tx: Tx, roots: readonly string[]): Promise<string[]> {
  const seen = new Set(roots);
  const found: string[] = [];
  let level = [...roots];
  for (let depth = 0; level.length > 0 && depth < maxCascadeDepth; depth++) {
    const links = await tx.certificateParent.findMany({
      where: { parentId: { in: level } },
      select: { childId: true },
    });
    level = [];
    for (const { childId } of links) {
      if (seen.has(childId)) continue;
      seen.add(childId);
      found.push(childId);
      level.push(childId);
    }
  }
  return found;
}

/**
 * Voids each certificate still valid, records its revocation for the trust snapshot, and holds (stop-sale) every
 * inventory item under any of `ids`, valid or already void. Returns the certificates voided now.
 */
export async function revokeCertificates(
  tx: Tx,
  ids: readonly string[],
  how: { kind: VoidKind; reason: string; at: Date; recallId?: string },
): Promise<{ revoked: Revoked[]; heldItems: string[] }> {
  // A handful of set-wise statements whatever the count: a producer's recall may reach a thousand certificates.
  const valid = (
    await tx.certificate.findMany({ where: { id: { in: [...ids] }, status: 'valid' }, select: { id: true } })
  ).map((row) => row.id);
  await tx.certificate.updateMany({
    where: { id: { in: valid }, status: 'valid' },
    data: {
      status: 'void',
      voidReason: how.reason,
      voidedAt: how.at,
      voidKind: how.kind,
      recallId: how.recallId ?? null,
    },
  });
  if (how.recallId) {
    await tx.certificate.updateMany({
      where: { id: { in: [...ids] }, recallId: null },
      data: { recallId: how.recallId },
    });
  }
  const changes = await tx.trustChange.createManyAndReturn({
    data: valid.map((ref) => ({ kind: 'revocation', ref, at: how.at })),
    select: { version: true, ref: true },
  });
  const revoked = changes.map((change) => ({
    certificateId: change.ref,
    reason: how.reason,
    trustVersion: change.version,
  }));
  const heldItems = await holdItemsUnder(
    tx,
    ids,
    how.kind === 'recall' ? `召回：${how.reason}` : '合格证已作废',
  );
  return { revoked, heldItems };
}

async function holdItemsUnder(tx: Tx, certificateIds: readonly string[], reason: string): Promise<string[]> {
  const items = await tx.inventoryItem.findMany({
    where: { certificateId: { in: [...certificateIds] }, held: false },
    select: { id: true },
  });
  if (items.length === 0) return [];
  await tx.inventoryItem.updateMany({
    where: { id: { in: items.map((i) => i.id) } },
    data: { held: true, heldReason: reason },
  });
  return items.map((i) => i.id);
}

/**
 * A voided transformation output gives its draws back to the items they came from. Returns what went back, per
 * item, in each item's unit.
 */
export async function returnDraws(
  tx: Tx,
  outputCertificateId: string,
  at: Date,
): Promise<{ itemId: string; quantity: number }[]> {
  const draws = await tx.transformationDraw.findMany({
    where: { outputCertificateId, returnedAt: null },
    select: { id: true, inventoryItemId: true, quantity: true },
  });
  for (const draw of draws) {
    await returnToItem(tx, draw.inventoryItemId, draw.quantity);
    await tx.transformationDraw.update({ where: { id: draw.id }, data: { returnedAt: at } });
  }
  return draws.map((d) => ({ itemId: d.inventoryItemId, quantity: d.quantity }));
}
