import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Keyring } from '../keyring/keyring.ts';
import type { Db, Tx } from '../storage/db.ts';

/** Issuer keys are rotated yearly; a retired key still verifies what it signed while valid. */
export const KEY_LIFETIME_DAYS = 365;

/**
 * Creates a fresh platform-held key for an issuer and retires its active ones, inside the caller's transaction.
 * Records a TrustChange so agents pick the new key up with the next snapshot increment.
 */
export async function rotateIssuerKey(tx: Tx, keyring: Keyring, issuerId: number, now: Date) {
  await tx.issuerKey.updateMany({
    where: { issuerId, status: 'active' },
    data: { status: 'retired', validTo: now },
  });
  const material = keyring.createIssuerKey();
  // Codes carry whole seconds, so a key valid from a fraction of a second would reject its first certificate.
  const validFrom = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const key = await tx.issuerKey.create({
    data: {
      id: randomUUID(),
      issuerId,
      keyId: material.keyId,
      publicKey: material.publicKey,
      privateKeySealed: material.privateKeySealed,
      validFrom,
      rotateAt: new Date(now.getTime() + KEY_LIFETIME_DAYS * 86_400_000),
      status: 'active',
    },
  });
  await tx.trustChange.create({ data: { kind: 'key', ref: key.keyId, at: now } });
  return key;
}

/** Rotates every active key whose rotateAt has passed (run at start-up and daily). Returns how many. */
export async function rotateDueKeys(db: Db, audit: AuditLog, keyring: Keyring, now: Date): Promise<number> {
  const due = await db.issuerKey.findMany({
    where: { status: 'active', rotateAt: { lte: now } },
    select: { issuerId: true },
    distinct: ['issuerId'],
  });
  for (const { issuerId } of due) {
    await db.$transaction(async (tx) => {
      const key = await rotateIssuerKey(tx, keyring, issuerId, now);
      await audit.append(tx, {
        actor: 'system',
        action: 'rotate_scheduled',
        entity: 'issuer_key',
        entityId: key.id,
      });
    });
  }
  return due.length;
}
