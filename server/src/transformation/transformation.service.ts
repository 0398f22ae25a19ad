import { randomUUID } from 'node:crypto';
import {
  type Basis,
  type CatalogueProduct,
  type Category,
  type CustodyRefusalCode,
  type CustodyRules,
  planTransformation,
  type SourceItem,
  type TransformationRequest,
  type TransformationView,
  type Unit,
} from '@liangzheng/domain';
import {
  type CertificateDeps,
  CertificateRefusal,
  type CertificateRow,
  issueDerivedIn,
  signingContext,
  toCertificate,
} from '../certificate/certificate.service.ts';
import { drawFromItem, findItem, keptItemId, materialise, stateOf } from '../custody/inventory.ts';
import type { ErrorCode } from '../http/error-code.ts';
import type { Db, Tx } from '../storage/db.ts';

export interface TransformationDeps extends CertificateDeps {
  rules: CustodyRules;
}

export interface TransformationError {
  code: ErrorCode;
  message: string;
}
export type TransformationResult =
  | { ok: true; transformation: TransformationView; outputs: CertificateRow[] }
  | { ok: false; error: TransformationError };

/** Thrown inside the transaction to roll it back; returned as a value at the boundary. */
class Refusal {
  constructor(readonly error: TransformationError) {}
}
const refuse = (code: ErrorCode, message: string): never => {
  throw new Refusal({ code, message });
};

/** The core's refusals as API codes: bad input is 400, a state that forbids the draw is 409. */
const apiCodeOf: Record<CustodyRefusalCode, ErrorCode> = {
  INVALID_QUANTITY: 'VALIDATION_FAILED',
  DUPLICATE_INPUT: 'VALIDATION_FAILED',
  UNIT_MISMATCH: 'UNIT_MISMATCH',
  CATEGORY_MISMATCH: 'CATEGORY_MISMATCH',
  PRODUCT_MISMATCH: 'PRODUCT_MISMATCH',
  UNKNOWN_PRODUCT: 'INVALID_REFERENCE',
  TOO_MANY_SOURCES: 'TOO_MANY_SOURCES',
  ITEM_HELD: 'ITEM_HELD',
  QUANTITY_EXCEEDED: 'QUANTITY_EXCEEDED',
  LOSS_EXCEEDS_LIMIT: 'LOSS_EXCEEDS_LIMIT',
};

/**
 * Draws on one item queue behind each other's row lock until COMMIT; a burst (20 tabs at once) must wait its turn
 * rather than time out at Prisma's 2 s / 5 s defaults.
 */
const transactionLimits = { maxWait: 15_000, timeout: 20_000 };

/** The stall a transformation happens at, with the identity its vendor signs as. */
async function stallOf(db: Db, stallId: number) {
  const stall = await db.stall.findUnique({
    where: { id: stallId },
    select: { id: true, marketId: true, vendor: { select: { issuerId: true, contact: true } } },
  });
  if (!stall) return refuse('NOT_FOUND', `no stall ${stallId}`);
  const issuerId = stall.vendor?.issuerId;
  if (!issuerId) {
    return refuse(
      'NO_ISSUER_IDENTITY',
      '该摊位经营者尚未关联自己的开具主体 / the stall’s vendor has no repacker identity linked yet',
    );
  }
  return { id: stall.id, marketId: stall.marketId, issuerId };
}

/** The caller's inputs, each of which must be an item of this very stall. */
async function sourcesOf(tx: Tx, stall: { id: number; marketId: number }, request: TransformationRequest) {
  const sources: SourceItem[] = [];
  for (const input of request.inputs) {
    const row = await findItem(tx, input.itemId);
    if (!row || row.stallId !== stall.id || row.marketId !== stall.marketId) {
      return refuse(
        'NOT_IN_CUSTODY',
        `货品 ${input.itemId} 不在本摊位库存中 / inventory item ${input.itemId} is not in this stall’s inventory`,
      );
    }
    const { left, state } = stateOf(row, row.certificate.status);
    sources.push({
      itemId: row.id,
      certificateId: row.certificateId,
      productCode: row.certificate.productCode,
      productName: row.certificate.productName,
      category: row.certificate.category as Category,
      unit: row.unit as Unit,
      left,
      held: state === 'held',
      originRegion: row.certificate.originRegion,
      originText: row.certificate.originText,
      basis: row.certificate.basis as Basis,
    });
  }
  return sources;
}

async function catalogue(tx: Tx, request: TransformationRequest, sources: SourceItem[], rules: CustodyRules) {
  const codes = new Set<number>([
    ...sources.map((s) => s.productCode),
    ...request.outputs.flatMap((o) => (o.productCode ? [o.productCode] : [])),
    ...Object.values(rules.mixProduct),
  ]);
  const rows = await tx.product.findMany({ where: { code: { in: [...codes] } } });
  return new Map<number, CatalogueProduct>(
    rows.map((p) => [p.code, { name: p.name, category: p.category as Category }]),
  );
}

/**
 * One repack or resale (docs/custody.md): checks it with the shared core, draws every input from the stall's
 * inventory with a conditional update, signs every output in the vendor's own name and records what each output
 * drew, all in one transaction. Sources' certificate ledgers are never charged again.
 */
export async function transform(
  deps: TransformationDeps,
  actor: string,
  stallId: number,
  request: TransformationRequest,
): Promise<TransformationResult> {
  try {
    const stall = await stallOf(deps.db, stallId);
    await materialise(deps.db, { marketId: stall.marketId, stallId: stall.id });
    const { transformation, outputs } = await deps.db.$transaction(
      (tx) => transformIn(tx, deps, actor, stall, request),
      transactionLimits,
    );
    return { ok: true, transformation, outputs };
  } catch (e) {
    if (e instanceof Refusal || e instanceof CertificateRefusal) return { ok: false, error: e.error };
    throw e;
  }
}

async function transformIn(
  tx: Tx,
  deps: TransformationDeps,
  actor: string,
  stall: { id: number; marketId: number; issuerId: number },
  request: TransformationRequest,
) {
  const sources = await sourcesOf(tx, stall, request);
  const products = await catalogue(tx, request, sources, deps.rules);
  const planned = planTransformation({
    kind: request.kind,
    inputs: request.inputs.map((input, i) => ({ source: sources[i]!, quantity: input.quantity })),
    outputs: request.outputs,
    rules: deps.rules,
    products: (code) => products.get(code),
  });
  if (!planned.ok) return refuse(apiCodeOf[planned.refusal.code], planned.refusal.message);
  const { plan } = planned;

  const ctx = await signingContext(tx, deps, stall.issuerId);
  const id = randomUUID();
  const now = deps.clock.now();
  await tx.transformation.create({
    data: {
      id,
      kind: request.kind,
      marketId: stall.marketId,
      stallId: stall.id,
      issuerId: stall.issuerId,
      actor,
      unit: plan.unit,
      taken: plan.taken,
      made: plan.made,
      loss: plan.loss,
      at: now,
    },
  });
  const outputs: CertificateRow[] = [];
  for (const [j, output] of plan.outputs.entries()) {
    const requested = request.outputs[j]!;
    const row = await issueDerivedIn(
      tx,
      deps,
      ctx,
      {
        productCode: output.productCode,
        productName: output.productName,
        quantity: output.quantity,
        unit: output.unit,
        originRegion: output.originRegion,
        originText: output.originText,
        basis: output.basis,
        commitmentVersion: '2026',
        ...(requested.contact ? { contact: requested.contact } : {}),
      },
      output.parents,
      id,
    );
    outputs.push(row);
    await tx.transformationDraw.createMany({
      data: output.draws.map((draw) => ({
        id: randomUUID(),
        transformationId: id,
        inventoryItemId: draw.itemId,
        sourceCertificateId: draw.certificateId,
        outputCertificateId: row.id,
        quantity: draw.quantity,
      })),
    });
    if (requested.keep) {
      await tx.inventoryItem.create({
        data: {
          id: keptItemId(row.id),
          marketId: stall.marketId,
          stallId: stall.id,
          certificateId: row.id,
          transformationId: id,
          received: row.quantity,
          unit: row.unit,
          receivedAt: now,
        },
      });
    }
  }
  // Last but the audit row: the item's row lock (PostgreSQL) is held from here to COMMIT, so concurrent draws on
  // one item queue for as short a time as possible.
  for (const input of request.inputs) {
    if (!(await drawFromItem(tx, input.itemId, input.quantity))) {
      refuse('QUANTITY_EXCEEDED', `inventory item ${input.itemId} has less than ${input.quantity} left`);
    }
  }
  await deps.audit.append(tx, {
    actor,
    action: `transformation.${request.kind}`,
    entity: 'transformation',
    entityId: id,
    data: {
      stallId: stall.id,
      inputs: request.inputs,
      outputs: outputs.map((o) => o.id),
      taken: plan.taken,
      made: plan.made,
      loss: plan.loss,
      unit: plan.unit,
    },
  });
  return { transformation: await transformationView(tx, id), outputs };
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
