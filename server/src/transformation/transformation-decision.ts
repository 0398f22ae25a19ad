import {
  type Basis,
  type CatalogueProduct,
  type Category,
  type CertificatePayload,
  type CustodyRefusalCode,
  type CustodyRules,
  encodeCertificate,
  type MarketRef,
  planTransformation,
  readImageHeader,
  type Signer,
  type SourceItem,
  type TransformationRequest,
  type Unit,
  type UnverifiedSourceInput,
} from '@liangzheng/domain';
import { keptItemId } from '../custody/inventory.ts';
import type { ErrorCode } from '../http/error-code.ts';
import type {
  Decision,
  NewCertificate,
  TransformationFacts,
  TransformationRefusal,
  TransformationWrite,
  UnverifiedSourceRow,
} from './transformation-store.ts';

/** What a decision needs besides the facts: who, when, the rules, fresh ids and a signer per sealed key. */
export interface DecisionContext {
  actor: string;
  /** whether the caller may see this stall at all: one it may not see is NOT_FOUND, as any hidden path */
  sees: (stall: { id: number; market: MarketRef }) => boolean;
  now: Date;
  rules: CustodyRules;
  codeHost: string;
  newId: () => string;
  newCertificateId: () => string;
  signer: (privateKeySealed: string) => Signer;
}

/**
 * The core's refusals as API codes: bad input is 400, a state that forbids the draw is 409. Every other refusal
 * is an API code of the same name.
 */
function apiCodeOf(code: CustodyRefusalCode): ErrorCode {
  switch (code) {
    case 'INVALID_QUANTITY':
    case 'DUPLICATE_INPUT':
      return 'VALIDATION_FAILED';
    case 'UNKNOWN_PRODUCT':
      return 'INVALID_REFERENCE';
    default:
      return code;
  }
}

const refused = (code: ErrorCode, message: string): Decision => ({ ok: false, refusal: { code, message } });

/**
 * Refuses a stall that is unknown, hidden from the caller, or whose vendor cannot sign yet; all are told before
 * anything is read.
 */
export function stallRefusal(
  facts: Pick<TransformationFacts, 'stall'>,
  stallId: number,
  sees: DecisionContext['sees'],
): TransformationRefusal | null {
  const { stall } = facts;
  if (!stall || !sees({ id: stall.id, market: { id: stall.marketId, regionCode: stall.regionCode } })) {
    return { code: 'NOT_FOUND', message: `no stall ${stallId}` };
  }
  if (!stall.issuerId) {
    return {
      code: 'NO_ISSUER_IDENTITY',
      message: '该摊位经营者尚未关联自己的开具主体 / the stall’s vendor has no repacker identity linked yet',
    };
  }
  return null;
}

/** The refusal a take that no longer fits at commit gets: another draw got there first. */
export function takeRefusal(itemId: string, quantity: number): TransformationRefusal {
  return { code: 'QUANTITY_EXCEEDED', message: `inventory item ${itemId} has less than ${quantity} left` };
}

/** The caller's inputs as the core sees them; each must be an item of this very stall. */
function sourcesOf(
  facts: TransformationFacts,
  stall: { id: number; marketId: number },
  request: TransformationRequest,
): SourceItem[] | TransformationRefusal {
  const sources: SourceItem[] = [];
  for (const input of request.inputs) {
    const row = facts.items.get(input.itemId);
    if (!row || row.stallId !== stall.id || row.marketId !== stall.marketId) {
      return {
        code: 'NOT_IN_CUSTODY',
        message: `货品 ${input.itemId} 不在本摊位库存中 / inventory item ${input.itemId} is not in this stall’s inventory`,
      };
    }
    const left = Math.max(0, row.received - row.drawn);
    sources.push({
      itemId: row.id,
      certificateId: row.certificateId,
      productCode: row.certificate.productCode,
      productName: row.certificate.productName,
      category: row.certificate.category as Category,
      unit: row.unit as Unit,
      left,
      held: row.held || row.certificate.status !== 'valid',
      originRegion: row.certificate.originRegion,
      originText: row.certificate.originText,
      basis: row.certificate.basis as Basis,
      unverifiedSources: row.certificate.unverifiedSources,
    });
  }
  return sources;
}

/** A declared unverified source as stored: in the order declared (at most a handful, so one digit sorts them). */
function unverifiedRow(
  transformationId: string,
  k: number,
  source: UnverifiedSourceInput,
): UnverifiedSourceRow {
  // The schema has already read a JPEG, PNG or WebP header from these bytes.
  const photo = source.photo ? Buffer.from(source.photo, 'base64') : null;
  const header = photo ? readImageHeader(photo) : null;
  return {
    id: `${transformationId}:${k}`,
    kind: source.kind,
    description: source.description,
    quantity: source.quantity,
    unit: source.unit,
    code: source.kind === 'foreign_code' ? source.code : null,
    photo,
    photoType: header?.ok ? header.image.type : null,
  };
}

/**
 * One repack or resale decided on its facts (docs/custody.md): the shared core plans it (conservation, loss,
 * category and product rules, origin), then every output is signed in the vendor's own name. Returns what to
 * write, or the refusal, with the same codes and messages whichever store runs it.
 */
export function decideTransformation(
  facts: TransformationFacts,
  stallId: number,
  request: TransformationRequest,
  context: DecisionContext,
): Decision {
  const stallRefused = stallRefusal(facts, stallId, context.sees);
  if (stallRefused) return { ok: false, refusal: stallRefused };
  const stall = facts.stall!;
  const issuerId = stall.issuerId!;
  const declared = request.unverifiedSources ?? [];
  const sources = sourcesOf(facts, stall, request);
  if (!Array.isArray(sources)) return { ok: false, refusal: sources };
  const planned = planTransformation({
    kind: request.kind,
    inputs: request.inputs.map((input, i) => ({ source: sources[i]!, quantity: input.quantity })),
    unverified: declared,
    outputs: request.outputs,
    rules: context.rules,
    products: (code): CatalogueProduct | undefined => {
      const product = facts.products.get(code);
      return product && { name: product.name, category: product.category as Category };
    },
  });
  if (!planned.ok) return refused(apiCodeOf(planned.refusal.code), planned.refusal.message);
  const { plan } = planned;

  const { issuer, key } = facts;
  if (!issuer || issuer.id !== issuerId) return refused('NOT_FOUND', 'producer not found');
  if (!issuer.active) return refused('INACTIVE', 'the producer is deactivated');
  if (!key) return refused('NO_ACTIVE_KEY', 'the producer has no active signing key');
  const signer = context.signer(key.privateKeySealed);

  const id = context.newId();
  const write: TransformationWrite = {
    transformation: {
      id,
      kind: request.kind,
      marketId: stall.marketId,
      stallId: stall.id,
      issuerId,
      actor: context.actor,
      unit: plan.unit,
      taken: plan.taken,
      made: plan.made,
      loss: plan.loss,
      at: context.now,
    },
    certificates: [],
    draws: [],
    kept: [],
    unverifiedSources: declared.map((source, k) => unverifiedRow(id, k, source)),
    trustChanges: [],
    takes: request.inputs.map((input) => ({ itemId: input.itemId, quantity: input.quantity })),
    audit: {
      actor: context.actor,
      action: `transformation.${request.kind}`,
      entity: 'transformation',
      entityId: id,
    },
  };
  for (const [j, output] of plan.outputs.entries()) {
    const requested = request.outputs[j]!;
    const product = facts.products.get(output.productCode);
    if (!product) return refused('INVALID_REFERENCE', `unknown product code ${output.productCode}`);
    if (!product.active) {
      return refused('INACTIVE', `产品 ${product.code} 已停用 / product ${product.code} is retired`);
    }
    const payload: CertificatePayload = {
      id: context.newCertificateId(),
      kind: 'repack',
      keyId: key.keyId,
      issuerId,
      productCode: product.code,
      productName: output.productName ?? product.name,
      category: product.category as Category,
      quantity: output.quantity,
      unit: output.unit,
      originRegion: output.originRegion,
      basis: output.basis,
      issuedAt: context.now,
      parents: output.parents,
    };
    const encoded = encodeCertificate(payload, signer, { host: context.codeHost });
    if (!encoded.ok)
      return refused('VALIDATION_FAILED', `the certificate cannot be encoded (${encoded.error})`);
    const signed = encoded.payload;
    const certificate: NewCertificate = {
      id: signed.id,
      kind: 'repack',
      issuerId,
      keyId: signed.keyId,
      code: encoded.text,
      productCode: signed.productCode,
      productName: signed.productName,
      category: signed.category,
      quantity: signed.quantity,
      unit: signed.unit,
      originRegion: signed.originRegion,
      originText: output.originText,
      issuerName: issuer.name,
      contact: requested.contact ?? issuer.contact,
      basis: signed.basis,
      commitmentVersion: '2026',
      issuedAt: signed.issuedAt,
      parents: output.parents,
      unverifiedSources: plan.unverifiedSources,
    };
    write.certificates.push(certificate);
    if (certificate.unverifiedSources) write.trustChanges.push({ kind: 'unverified', ref: certificate.id });
    for (const draw of output.draws) {
      write.draws.push({
        id: context.newId(),
        inventoryItemId: draw.itemId,
        sourceCertificateId: draw.certificateId,
        outputCertificateId: certificate.id,
        quantity: draw.quantity,
      });
    }
    if (requested.keep) {
      write.kept.push({
        id: keptItemId(certificate.id),
        certificateId: certificate.id,
        received: certificate.quantity,
        unit: certificate.unit,
      });
    }
  }
  write.audit.data = {
    stallId: stall.id,
    inputs: request.inputs,
    outputs: write.certificates.map((c) => c.id),
    taken: plan.taken,
    made: plan.made,
    loss: plan.loss,
    unit: plan.unit,
  };
  return { ok: true, write };
}
