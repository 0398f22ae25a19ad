import { randomBytes } from 'node:crypto';
import type { Certificate, CertificateFields, RevokedCertificate } from '@liangzheng/domain';
import { type CertificatePayload, createSigner, encodeCertificate, type Unit } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import type { CertificateModel } from '@liangzheng/prisma';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import { keptItemId } from '../custody/inventory.ts';
import { descendantsOf, returnDraws, revokeCertificates } from '../custody/revocation.ts';
import type { ErrorCode } from '../http/error-code.ts';
import type { Keyring } from '../keyring/keyring.ts';
import { ledgerTolerance } from '../ledger/ledger.ts';
import type { Db, Dialect, Tx } from '../storage/db.ts';

export interface CertificateDeps {
  db: Db;
  dialect: Dialect;
  keyring: Keyring;
  audit: AuditLog;
  clock: Clock;
  codeHost: string;
}

export type CertificateError = {
  code: Extract<
    ErrorCode,
    | 'NOT_FOUND'
    | 'INACTIVE'
    | 'NO_ACTIVE_KEY'
    | 'INVALID_REFERENCE'
    | 'QUANTITY_EXCEEDED'
    | 'ALREADY_VOID'
    | 'VALIDATION_FAILED'
    | 'OUTPUT_ADMITTED'
    | 'OUTPUT_DRAWN'
  >;
  message: string;
};
export type Result<T> = { ok: true; value: T } | { ok: false; error: CertificateError };

export type CertificateRow = CertificateModel & { parents: { parentId: string; quantity: number }[] };

/** Thrown inside a transaction to roll it back; caught at the service boundary and returned as a value. */
export class CertificateRefusal {
  constructor(readonly error: CertificateError) {}
}
const refuse = (code: CertificateError['code'], message: string): never => {
  throw new CertificateRefusal({ code, message });
};

async function refusalsAsValues<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    if (e instanceof CertificateRefusal) return { ok: false, error: e.error };
    throw e;
  }
}

export const newCertificateId = (): string => randomBytes(8).toString('hex');

export function toCertificate(row: CertificateRow): Certificate {
  return {
    id: row.id,
    kind: row.kind as Certificate['kind'],
    issuerId: row.issuerId,
    keyId: row.keyId,
    code: row.code,
    productCode: row.productCode,
    productName: row.productName,
    category: row.category as Certificate['category'],
    quantity: row.quantity,
    unit: row.unit as Unit,
    usedQuantity: row.usedQuantity,
    originRegion: row.originRegion,
    originText: row.originText,
    issuerName: row.issuerName,
    contact: row.contact,
    basis: row.basis as Certificate['basis'],
    commitmentVersion: row.commitmentVersion,
    issuedAt: row.issuedAt.toISOString(),
    status: row.status as Certificate['status'],
    voidReason: row.voidReason,
    voidedAt: row.voidedAt?.toISOString() ?? null,
    parents: row.parents.map((p) => ({ certificateId: p.parentId, quantity: p.quantity })),
    unverifiedSources: row.unverifiedSources,
  };
}

/** Loads what signing for an issuer needs, refusing inactive issuers and issuers without an active key. */
export async function signingContext(tx: Tx, deps: CertificateDeps, issuerId: number) {
  const issuer = await tx.issuer.findUnique({ where: { id: issuerId } });
  if (!issuer) return refuse('NOT_FOUND', 'producer not found');
  if (!issuer.active) return refuse('INACTIVE', 'the producer is deactivated');
  const key = await tx.issuerKey.findFirst({
    where: { issuerId, status: 'active' },
    orderBy: { validFrom: 'desc' },
  });
  if (!key) return refuse('NO_ACTIVE_KEY', 'the producer has no active signing key');
  const signer = createSigner(deps.keyring.issuerSecretKey(key.privateKeySealed), nodeEd25519);
  return { issuer, key, signer };
}

export type SigningContext = Awaited<ReturnType<typeof signingContext>>;

/** A producer certificate; transformations sign theirs in transformation/transformation-decision.ts. */
async function writeCertificate(
  tx: Tx,
  deps: CertificateDeps,
  ctx: SigningContext,
  fields: CertificateFields,
): Promise<CertificateRow> {
  const product = await tx.product.findUnique({ where: { code: fields.productCode } });
  if (!product) return refuse('INVALID_REFERENCE', `unknown product code ${fields.productCode}`);
  if (!product.active)
    return refuse('INACTIVE', `产品 ${product.code} 已停用 / product ${product.code} is retired`);
  const payload: CertificatePayload = {
    id: newCertificateId(),
    kind: 'producer',
    keyId: ctx.key.keyId,
    issuerId: ctx.issuer.id,
    productCode: product.code,
    productName: fields.productName ?? product.name,
    category: product.category as CertificatePayload['category'],
    quantity: fields.quantity,
    unit: fields.unit,
    originRegion: fields.originRegion,
    basis: fields.basis,
    issuedAt: deps.clock.now(),
    parents: [],
  };
  const encoded = encodeCertificate(payload, ctx.signer, { host: deps.codeHost });
  if (!encoded.ok) return refuse('VALIDATION_FAILED', `the certificate cannot be encoded (${encoded.error})`);
  const signed = encoded.payload;
  return tx.certificate.create({
    data: {
      id: signed.id,
      kind: signed.kind,
      issuerId: signed.issuerId,
      keyId: signed.keyId,
      code: encoded.text,
      productCode: signed.productCode,
      productName: signed.productName,
      category: signed.category,
      quantity: signed.quantity,
      unit: signed.unit,
      originRegion: signed.originRegion,
      originText: fields.originText,
      issuerName: ctx.issuer.name,
      contact: fields.contact ?? ctx.issuer.contact,
      basis: signed.basis,
      commitmentVersion: fields.commitmentVersion,
      issuedAt: signed.issuedAt,
    },
    include: { parents: { select: { parentId: true, quantity: true } } },
  });
}

/** Issues producer certificates (one, or a cooperative's whole day) in one transaction: all or none. */
export function issueCertificates(
  deps: CertificateDeps,
  actor: string,
  issuerId: number,
  items: CertificateFields[],
): Promise<Result<CertificateRow[]>> {
  return refusalsAsValues(() =>
    deps.db.$transaction(async (tx) => {
      const ctx = await signingContext(tx, deps, issuerId);
      const rows: CertificateRow[] = [];
      for (const fields of items) rows.push(await writeCertificate(tx, deps, ctx, fields));
      await deps.audit.append(tx, {
        actor,
        action: items.length > 1 ? 'issue_batch' : 'issue',
        entity: 'certificate',
        entityId: rows.length > 1 ? `${rows[0]!.id}..${rows.at(-1)!.id}` : rows[0]!.id,
        data: { issuerId, ids: rows.map((r) => r.id) },
      });
      return rows;
    }),
  );
}

export interface Voided {
  certificate: CertificateRow;
  trustVersion: number;
  /** what went back into inventory, for a transformation's output */
  returned: { itemId: string; quantity: number }[];
  /** the descendants voided with it: a repack never stays valid below a void source */
  cascaded: RevokedCertificate[];
}

/** A transformation's output can be voided only while what it certifies is still with the vendor. */
async function refuseUnreturnable(tx: Tx, row: { id: string; usedQuantity: number }): Promise<void> {
  if (row.usedQuantity > ledgerTolerance) {
    refuse('OUTPUT_ADMITTED', 'the buyer has already shown this certificate at a market; recall it instead');
  }
  const kept = await tx.inventoryItem.findUnique({
    where: { id: keptItemId(row.id) },
    select: { drawn: true },
  });
  if (kept && kept.drawn > ledgerTolerance) {
    refuse('OUTPUT_DRAWN', 'goods under this certificate were repacked again; void those certificates first');
  }
}

/**
 * Voids a certificate (never edits it) and records the revocation for the next trust snapshot increment. A
 * transformation's output returns its draws to inventory; every descendant is voided with it (docs/custody.md).
 */
export function voidCertificate(
  deps: CertificateDeps,
  actor: string,
  id: string,
  reason: string,
): Promise<Result<Voided>> {
  return refusalsAsValues(() =>
    deps.db.$transaction(async (tx) => {
      const now = deps.clock.now();
      const row = await tx.certificate.findUnique({ where: { id } });
      if (!row) return refuse('NOT_FOUND', 'certificate not found');
      if (row.status !== 'valid') refuse('ALREADY_VOID', 'the certificate is already void');
      if (row.transformationId) await refuseUnreturnable(tx, row);
      const updated = await tx.certificate.updateMany({
        where: { id, status: 'valid' },
        data: { status: 'void', voidReason: reason, voidedAt: now, voidKind: 'issuer' },
      });
      if (updated.count === 0) refuse('ALREADY_VOID', 'the certificate is already void');
      const change = await tx.trustChange.create({ data: { kind: 'revocation', ref: id, at: now } });
      const returned = row.transformationId ? await returnDraws(tx, id, now) : [];
      const cascade = await revokeCertificates(
        tx,
        deps.dialect,
        [id, ...(await descendantsOf(tx, deps.dialect, [id]))],
        {
          kind: 'cascade',
          reason: `来源合格证 ${id} 已作废：${reason}`,
          at: now,
        },
      );
      await deps.audit.append(tx, {
        actor,
        action: 'void',
        entity: 'certificate',
        entityId: id,
        data: {
          reason,
          returned,
          cascaded: cascade.revoked.map((r) => r.certificateId),
          heldItems: cascade.heldItems,
        },
      });
      const certificate = await tx.certificate.findUniqueOrThrow({
        where: { id },
        include: { parents: { select: { parentId: true, quantity: true } } },
      });
      return { certificate, trustVersion: change.version, returned, cascaded: cascade.revoked };
    }),
  );
}
