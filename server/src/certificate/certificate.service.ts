import { randomBytes } from 'node:crypto';
import type { Certificate, CertificateFields, RepackRequest } from '@liangzheng/domain';
import {
  type CertificatePayload,
  createSigner,
  encodeCertificate,
  toMilli,
  toMilliIn,
  type Unit,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import type { CertificateModel } from '@liangzheng/prisma';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import type { ErrorCode } from '../http/error-code.ts';
import type { Keyring } from '../keyring/keyring.ts';
import type { Db, Tx } from '../storage/db.ts';

export interface CertificateDeps {
  db: Db;
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
  >;
  message: string;
};
export type Result<T> = { ok: true; value: T } | { ok: false; error: CertificateError };

export type CertificateRow = CertificateModel & { parents: { parentId: string; quantity: number }[] };

/** Thrown inside a transaction to roll it back; caught at the service boundary and returned as a value. */
class Refusal {
  constructor(readonly error: CertificateError) {}
}
const refuse = (code: CertificateError['code'], message: string): never => {
  throw new Refusal({ code, message });
};

async function refusalsAsValues<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, error: e.error };
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
  };
}

/** Loads what signing for an issuer needs, refusing inactive issuers and issuers without an active key. */
async function signingContext(tx: Tx, deps: CertificateDeps, issuerId: number) {
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

async function writeCertificate(
  tx: Tx,
  deps: CertificateDeps,
  ctx: Awaited<ReturnType<typeof signingContext>>,
  fields: CertificateFields,
  parents: RepackRequest['parents'],
): Promise<CertificateRow> {
  const product = await tx.product.findUnique({ where: { code: fields.productCode } });
  if (!product) return refuse('INVALID_REFERENCE', `unknown product code ${fields.productCode}`);
  const payload: CertificatePayload = {
    id: newCertificateId(),
    kind: parents.length ? 'repack' : 'producer',
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
    parents,
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
      parents: { create: parents.map((p) => ({ parentId: p.certificateId, quantity: p.quantity })) },
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
      for (const fields of items) rows.push(await writeCertificate(tx, deps, ctx, fields, []));
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

/**
 * Charges `quantity` (in the certificate's own unit) to its ledger unless that would exceed what it certifies.
 * One conditional UPDATE, so concurrent charges from several gates or repacks can never overdraw it.
 */
export async function chargeLedger(tx: Tx, certificateId: string, quantity: number): Promise<boolean> {
  const cert = await tx.certificate.findUnique({ where: { id: certificateId }, select: { quantity: true } });
  if (!cert) return false;
  // A tiny tolerance keeps float sums (0.1 + 0.2) from refusing an exact last charge.
  const limit = cert.quantity - quantity + 1e-9;
  const updated = await tx.certificate.updateMany({
    where: { id: certificateId, status: 'valid', usedQuantity: { lte: limit } },
    data: { usedQuantity: { increment: quantity } },
  });
  return updated.count === 1;
}

/**
 * Inside the caller's transaction: a repack certificate (样式二) over parent certificates, each charged the
 * quantity taken from it. Exposed for the lot/scan side, which repacks as part of its own transactions.
 */
export async function issueRepackIn(
  tx: Tx,
  deps: CertificateDeps,
  actor: string,
  request: RepackRequest,
): Promise<CertificateRow> {
  const ctx = await signingContext(tx, deps, request.issuerId);
  const seen = new Set<string>();
  let takenMilli = 0;
  for (const parent of request.parents) {
    if (seen.has(parent.certificateId)) refuse('VALIDATION_FAILED', 'a parent certificate is listed twice');
    seen.add(parent.certificateId);
    const row = await tx.certificate.findUnique({ where: { id: parent.certificateId } });
    if (!row) return refuse('INVALID_REFERENCE', `parent certificate ${parent.certificateId} not found`);
    if (row.status !== 'valid') refuse('ALREADY_VOID', `parent certificate ${row.id} is void`);
    const taken = toMilliIn(parent.quantity, row.unit as Unit, request.unit);
    if (!taken.ok) {
      return refuse(
        'VALIDATION_FAILED',
        `parent ${row.id} is in ${row.unit}, which does not convert to ${request.unit}`,
      );
    }
    takenMilli += taken.value;
    if (!(await chargeLedger(tx, row.id, parent.quantity))) {
      refuse('QUANTITY_EXCEEDED', `parent ${row.id} has less than ${parent.quantity} ${row.unit} left`);
    }
  }
  // A repack cannot certify more than it was made from.
  if (toMilli(request.quantity, request.unit) > takenMilli) {
    refuse('QUANTITY_EXCEEDED', 'the repack certifies more than its parents supply');
  }
  const { issuerId: _issuer, parents, ...fields } = request;
  const created = await writeCertificate(tx, deps, ctx, fields, parents);
  await deps.audit.append(tx, {
    actor,
    action: 'issue_repack',
    entity: 'certificate',
    entityId: created.id,
    data: { issuerId: request.issuerId, parents },
  });
  return created;
}

export function issueRepack(
  deps: CertificateDeps,
  actor: string,
  request: RepackRequest,
): Promise<Result<CertificateRow>> {
  return refusalsAsValues(() => deps.db.$transaction((tx) => issueRepackIn(tx, deps, actor, request)));
}

/** Voids a certificate (never edits it) and records the revocation for the next trust snapshot increment. */
export function voidCertificate(
  deps: CertificateDeps,
  actor: string,
  id: string,
  reason: string,
): Promise<Result<{ certificate: CertificateRow; trustVersion: number }>> {
  return refusalsAsValues(() =>
    deps.db.$transaction(async (tx) => {
      const now = deps.clock.now();
      const updated = await tx.certificate.updateMany({
        where: { id, status: 'valid' },
        data: { status: 'void', voidReason: reason, voidedAt: now },
      });
      if (updated.count === 0) {
        const exists = await tx.certificate.count({ where: { id } });
        refuse(
          exists ? 'ALREADY_VOID' : 'NOT_FOUND',
          exists ? 'the certificate is already void' : 'certificate not found',
        );
      }
      const change = await tx.trustChange.create({ data: { kind: 'revocation', ref: id, at: now } });
      await deps.audit.append(tx, {
        actor,
        action: 'void',
        entity: 'certificate',
        entityId: id,
        data: { reason },
      });
      const certificate = await tx.certificate.findUniqueOrThrow({
        where: { id },
        include: { parents: { select: { parentId: true, quantity: true } } },
      });
      return { certificate, trustVersion: change.version };
    }),
  );
}
