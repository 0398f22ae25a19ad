import { randomUUID } from 'node:crypto';
import {
  type CustodyRules,
  createSigner,
  type Signer,
  type TransformationRequest,
  type TransformationView,
  type Unit,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { type CertificateDeps, newCertificateId, toCertificate } from '../certificate/certificate.service.ts';
import type { Keyring } from '../keyring/keyring.ts';
import { type PhotoBudget, photoBudgetExceeded, photoBytes } from '../lot/photo-budget.ts';
import type { Db, Tx } from '../storage/db.ts';
import { type DecisionContext, decideTransformation, takeRefusal } from './transformation-decision.ts';
import {
  certificateOf,
  type TransformationRefusal,
  type TransformationStore,
  type TransformationWrite,
} from './transformation-store.ts';
import { unverifiedSourcesOf } from './unverified-sources.ts';

export interface TransformationDeps extends Pick<CertificateDeps, 'keyring' | 'clock' | 'codeHost'> {
  rules: CustodyRules;
  store: TransformationStore;
  /** the server's photo allowance per uploader and day, which a lot's paper photos draw on too */
  photoBudget?: PhotoBudget;
}

export type TransformationResult =
  | { ok: true; transformation: TransformationView }
  | { ok: false; error: TransformationRefusal };

/**
 * A signer per sealed key: deriving the public key costs about as much as a signature, and every output of every
 * transformation at a stall signs with the same key.
 */
const signers = new WeakMap<Keyring, Map<string, Signer>>();
function signerOf(keyring: Keyring, privateKeySealed: string): Signer {
  let byKey = signers.get(keyring);
  if (!byKey) {
    byKey = new Map();
    signers.set(keyring, byKey);
  }
  let signer = byKey.get(privateKeySealed);
  if (!signer) {
    signer = createSigner(keyring.issuerSecretKey(privateKeySealed), nodeEd25519);
    byKey.set(privateKeySealed, signer);
  }
  return signer;
}

/** What a transformation just stored, as the API shows it: no second read, the write is the record. */
function viewOf(write: TransformationWrite): TransformationView {
  const t = write.transformation;
  return {
    id: t.id,
    kind: t.kind,
    stallId: t.stallId,
    issuerId: t.issuerId,
    unit: t.unit,
    taken: t.taken,
    made: t.made,
    loss: t.loss,
    at: t.at.toISOString(),
    outputs: write.certificates.map(certificateOf),
    draws: write.draws.map((d) => ({
      itemId: d.inventoryItemId,
      sourceCertificateId: d.sourceCertificateId,
      outputCertificateId: d.outputCertificateId,
      quantity: d.quantity,
      returnedAt: null,
    })),
    unverifiedSources: write.unverifiedSources.map((u) => ({
      kind: u.kind,
      description: u.description,
      quantity: u.quantity,
      unit: u.unit,
      code: u.code,
      hasPhoto: u.photo !== null,
    })),
  };
}

/**
 * One repack or resale (docs/custody.md): the store reads the stall's facts inside one transaction, the pure
 * decision checks them with the shared core and signs every output in the vendor's own name, and the store writes
 * it all, taking every input with a conditional update. Sources' certificate ledgers are never charged again.
 */
export async function transform(
  deps: TransformationDeps,
  caller: Pick<DecisionContext, 'actor' | 'sees'>,
  stallId: number,
  request: TransformationRequest,
): Promise<TransformationResult> {
  const now = deps.clock.now();
  // The unverified sources' photos count against the uploader's day, as a lot's paper photos do; over it, nothing
  // is read or written.
  const bytes = photoBytes((request.unverifiedSources ?? []).map((source) => source.photo));
  if (bytes > 0 && deps.photoBudget && !deps.photoBudget.fits(caller.actor, bytes, now))
    return { ok: false, error: photoBudgetExceeded };
  const mixProducts = Object.values(deps.rules.mixProduct).filter((code) => code !== undefined);
  const outcome = await deps.store.transform(stallId, request, mixProducts, (facts) =>
    decideTransformation(facts, stallId, request, {
      ...caller,
      now,
      rules: deps.rules,
      codeHost: deps.codeHost,
      newId: randomUUID,
      newCertificateId,
      signer: (sealed) => signerOf(deps.keyring, sealed),
    }),
  );
  switch (outcome.kind) {
    case 'stored':
      if (bytes > 0) deps.photoBudget?.charge(caller.actor, bytes, now);
      return { ok: true, transformation: viewOf(outcome.write) };
    case 'refused':
      return { ok: false, error: outcome.refusal };
    case 'take_failed':
      return { ok: false, error: takeRefusal(outcome.itemId, outcome.quantity) };
  }
}

export async function transformationView(db: Db | Tx, id: string): Promise<TransformationView> {
  const row = await db.transformation.findUniqueOrThrow({ where: { id }, include: { draws: true } });
  const outputs = await db.certificate.findMany({
    where: { transformationId: id },
    include: { parents: { select: { parentId: true, quantity: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return {
    id: row.id,
    kind: row.kind as TransformationView['kind'],
    stallId: row.stallId,
    issuerId: row.issuerId,
    unit: row.unit as Unit,
    taken: row.taken,
    made: row.made,
    loss: row.loss,
    at: row.at.toISOString(),
    outputs: outputs.map(toCertificate),
    draws: row.draws.map((d) => ({
      itemId: d.inventoryItemId,
      sourceCertificateId: d.sourceCertificateId,
      outputCertificateId: d.outputCertificateId,
      quantity: d.quantity,
      returnedAt: d.returnedAt?.toISOString() ?? null,
    })),
    unverifiedSources: await unverifiedSourcesOf(db, id),
  };
}

/** A stall's transformations, newest first. */
export async function listTransformations(
  db: Db,
  stallId: number,
  limit: number,
): Promise<TransformationView[]> {
  const rows = await db.transformation.findMany({
    where: { stallId },
    orderBy: { at: 'desc' },
    take: limit,
    select: { id: true },
  });
  return Promise.all(rows.map((r) => transformationView(db, r.id)));
}
