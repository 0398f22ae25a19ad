import { randomUUID } from 'node:crypto';
import {
  EntityId,
  LotClose,
  LotClosed,
  LotCreate,
  LotCreated,
  LotDocumentsAdd,
  LotQuery,
  LotReview,
  LotView,
  type Principal,
  roles,
} from '@liangzheng/domain';
import type { Prisma } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { ledgerTolerance } from '../ledger/ledger.ts';
import { holdingRapidTests } from '../rapid-test/rapid-test-hold.ts';
import type { Tx } from '../storage/db.ts';
import { documentId } from './document-id.ts';
import { closeLot, type LotClosingDeps } from './lot-closing.ts';
import { createLot } from './lot-service.ts';

const IdParam = z.strictObject({ id: EntityId });

const LotDetail = LotView.extend({
  verdicts: z.array(
    z.object({
      id: z.string(),
      outcome: z.string(),
      rulesVersion: z.string(),
      source: z.string(),
      decidedAt: z.string(),
      reasons: z.array(z.object({ code: z.string(), documentIndex: z.number().nullable() })),
    }),
  ),
  scans: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      codeKind: z.string(),
      certificateId: z.string().nullable(),
      outcome: z.string(),
      conflict: z.boolean(),
      provisionalOutcome: z.string().nullable(),
      receivedAt: z.string(),
    }),
  ),
});

/** What a lot's view reads: its documents, and whether a positive rapid test holds its goods. */
const lotViewInclude = {
  documents: true,
  rapidTests: { where: holdingRapidTests, select: { id: true }, take: 1 },
} satisfies Prisma.LotInclude;

type LotRow = Prisma.LotGetPayload<{ include: typeof lotViewInclude }>;

function toView(lot: LotRow): LotView {
  return {
    id: lot.id,
    marketId: lot.marketId,
    gateId: lot.gateId,
    stallId: lot.stallId,
    plate: lot.plate,
    supplier: lot.supplier,
    supplierAddress: lot.supplierAddress,
    supplierContact: lot.supplierContact,
    productName: lot.productName,
    productCode: lot.productCode,
    category: lot.category,
    quantity: lot.quantity,
    unit: lot.unit,
    noCertificate: lot.noCertificate,
    status: lot.status,
    outcome: lot.outcome,
    openedAt: lot.openedAt.toISOString(),
    judgedAt: lot.judgedAt?.toISOString() ?? null,
    rapidTestHold: lot.rapidTests.length > 0,
    documents: lot.documents.map((d) => ({
      id: d.id,
      type: d.type,
      scanId: d.scanId,
      certificateId: d.certificateId,
      secondKind: d.secondKind,
      fields: JSON.parse(d.fields) as Record<string, unknown>,
      hasPhoto: d.photo !== null,
      quantityClaim: d.quantityClaim,
    })),
  };
}

/** Which lots a principal sees; undefined means none. */
export function lotsVisibleTo(principal: Principal): Prisma.LotWhereInput | undefined {
  if (principal.kind === 'device') return { marketId: principal.marketId };
  if (principal.kind !== 'user') return undefined;
  const scope = principal.scope;
  switch (scope.kind) {
    case 'all':
      return {};
    case 'market':
      return { marketId: scope.marketId };
    case 'stall':
      return { stallId: scope.stallId };
    case 'region':
      return { market: { regionCode: { startsWith: scope.prefix } } };
    case 'issuer':
      return undefined;
  }
}

type ReviewCharge = z.infer<typeof LotReview>['charges'][number];

/**
 * The charges a clearing makes: one per certificate read for the lot, each naming a certificate of this lot (a
 * reviewer cannot charge, or relieve, any other certificate through it).
 */
function reviewCharges(
  documents: readonly { certificateId: string | null }[],
  charges: readonly ReviewCharge[],
): ReviewCharge[] {
  const read = new Set(documents.flatMap((d) => (d.certificateId ? [d.certificateId] : [])));
  for (const charge of charges) {
    if (!read.has(charge.certificateId)) {
      throw new ApiProblem(
        'INVALID_REFERENCE',
        `certificate ${charge.certificateId} was not read for this lot`,
      );
    }
  }
  const named = new Set(charges.map((charge) => charge.certificateId));
  const unconfirmed = [...read].filter((id) => !named.has(id));
  if (unconfirmed.length > 0) {
    throw new ApiProblem(
      'VALIDATION_FAILED',
      `请确认每张合格证的核销数量 / confirm the quantity each certificate covers: ${unconfirmed.join(', ')}`,
    );
  }
  return [...charges];
}

/** Charges one confirmed quantity, only if it fits what the certificate has left; refuses the whole review if not. */
async function chargeReviewed(tx: Tx, lotId: string, charge: ReviewCharge): Promise<void> {
  const certificate = await tx.certificate.findUnique({
    where: { id: charge.certificateId },
    select: { quantity: true, unit: true },
  });
  const charged = certificate
    ? await tx.certificate.updateMany({
        where: {
          id: charge.certificateId,
          status: 'valid',
          usedQuantity: { lte: certificate.quantity - charge.quantity + ledgerTolerance },
        },
        data: { usedQuantity: { increment: charge.quantity } },
      })
    : { count: 0 };
  if (charged.count === 0) {
    throw new ApiProblem(
      'QUANTITY_EXCEEDED',
      `certificate ${charge.certificateId} has less than ${charge.quantity} ${certificate?.unit ?? ''} left, or is void`,
    );
  }
  const first = await tx.lotDocument.findFirstOrThrow({
    where: { lotId, certificateId: charge.certificateId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, quantityClaim: true },
  });
  await tx.lotDocument.update({
    where: { id: first.id },
    data: { quantityClaim: (first.quantityClaim ?? 0) + charge.quantity },
  });
}

/** The market whose lots a principal may close: its own; any for the platform admin; none otherwise (-1). */
function closingMarket(principal: Principal): number | undefined {
  if (principal.kind === 'device') return principal.marketId;
  if (principal.kind !== 'user') return -1;
  if (principal.scope.kind === 'all') return undefined;
  return principal.scope.kind === 'market' ? principal.scope.marketId : -1;
}

export const lotRoutes =
  (deps: LotClosingDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['lots'];
    const registrars = app.requireRole(['market_admin', 'gate_staff'], { device: true });
    const readers = app.requireRole(roles, { device: true });
    const reviewers = app.requireRole(['market_admin', 'gate_staff']);

    /** Where a new lot arrives: a device's own gate, or a market the user works at. */
    async function arrival(principal: Principal, body: LotCreate) {
      if (principal.kind === 'device') return { marketId: principal.marketId, gateId: principal.gateId };
      if (principal.kind !== 'user')
        throw new ApiProblem('UNAUTHENTICATED', 'log in or present a device token');
      const own = principal.scope.kind === 'market' ? principal.scope.marketId : undefined;
      const marketId = body.marketId ?? own;
      if (marketId === undefined) throw new ApiProblem('VALIDATION_FAILED', 'marketId is required');
      if (own !== undefined && marketId !== own) throw new ApiProblem('NOT_FOUND', 'market not found');
      if (body.gateId !== undefined) {
        const gate = await deps.db.gate.findUnique({
          where: { id: body.gateId },
          select: { marketId: true },
        });
        if (gate?.marketId !== marketId)
          throw new ApiProblem('INVALID_REFERENCE', 'no such gate at this market');
      }
      return { marketId, gateId: body.gateId ?? null };
    }

    app.post(
      '/lots',
      {
        schema: {
          tags,
          summary:
            'Register an arrival. noCertificate → MISSING at once; paper → PAPER_UNVERIFIED for review.',
          body: LotCreate,
          response: { 201: LotCreated, 200: LotCreated, ...errorResponses(400, 401, 403, 404, 409, 413) },
        },
        preParsing: registrars,
      },
      async (request, reply) => {
        const where = await arrival(request.principal, request.body);
        const created = await createLot(deps, request.body, where, actorOf(request.principal));
        if (!created.ok) throw new ApiProblem(created.error.code, created.error.message);
        const lot = await deps.db.lot.findUniqueOrThrow({
          where: { id: created.lotId },
          include: lotViewInclude,
        });
        return reply
          .code(created.replayed ? 200 : 201)
          .send({ lot: toView(lot), verdict: created.verdict, violationId: created.violationId });
      },
    );

    app.get(
      '/lots',
      {
        schema: {
          tags,
          querystring: LotQuery,
          response: { 200: z.array(LotView), ...errorResponses(400, 401, 403) },
        },
        preParsing: readers,
      },
      async (request) => {
        const visible = lotsVisibleTo(request.principal);
        if (!visible) throw new ApiProblem('FORBIDDEN', 'your role sees no lots');
        const q = request.query;
        const lots = await deps.db.lot.findMany({
          where: {
            AND: [
              visible,
              q.marketId ? { marketId: q.marketId } : {},
              q.status ? { status: q.status } : {},
              q.before ? { openedAt: { lt: new Date(q.before) } } : {},
            ],
          },
          include: lotViewInclude,
          orderBy: { openedAt: 'desc' },
          take: q.limit,
        });
        return lots.map(toView);
      },
    );

    app.get(
      '/lots/:id',
      {
        schema: { tags, params: IdParam, response: { 200: LotDetail, ...errorResponses(401, 403, 404) } },
        preParsing: readers,
      },
      async (request) => {
        const visible = lotsVisibleTo(request.principal);
        const lot = visible
          ? await deps.db.lot.findFirst({
              where: { AND: [visible, { id: request.params.id }] },
              include: {
                ...lotViewInclude,
                documents: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
                verdicts: { include: { reasons: true }, orderBy: { decidedAt: 'asc' } },
                scans: { orderBy: { receivedAt: 'asc' } },
              },
            })
          : null;
        if (!lot) throw new ApiProblem('NOT_FOUND', `lot ${request.params.id} not found`);
        return {
          ...toView(lot),
          verdicts: lot.verdicts.map((v) => ({
            id: v.id,
            outcome: v.outcome,
            rulesVersion: v.rulesVersion,
            source: v.source,
            decidedAt: v.decidedAt.toISOString(),
            reasons: v.reasons.map((r) => ({ code: r.code, documentIndex: r.documentIndex })),
          })),
          scans: lot.scans.map((s) => ({
            id: s.id,
            source: s.source,
            codeKind: s.codeKind,
            certificateId: s.certificateId,
            outcome: s.outcome,
            conflict: s.conflict,
            provisionalOutcome: s.provisionalOutcome,
            receivedAt: s.receivedAt.toISOString(),
          })),
        };
      },
    );

    app.post(
      '/lots/:id/close',
      {
        schema: {
          tags,
          summary:
            'Gate staff close a lot: nothing more will be shown. A lot short of its declared quantity is judged INSUFFICIENT_COVERAGE, one with nothing shown MISSING.',
          params: IdParam,
          body: LotClose,
          response: { 200: LotClosed, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: registrars,
      },
      async (request) => {
        const result = await closeLot(deps, request.params.id, {
          actor: actorOf(request.principal),
          marketId: closingMarket(request.principal),
          note: request.body.note,
        });
        if (!result.ok) throw new ApiProblem(result.error.code, result.error.message);
        return {
          lotId: result.lotId,
          status: result.status,
          verdict: result.verdict,
          violationId: result.violationId,
        };
      },
    );

    app.post(
      '/lots/:id/documents',
      {
        schema: {
          tags,
          summary:
            'Add second documents (动物检疫合格证明, 肉品品质检验合格证 …) to an open lot: its next scan is judged with them.',
          params: IdParam,
          body: LotDocumentsAdd,
          response: { 200: LotView, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preParsing: registrars,
      },
      async (request) => {
        const marketId = closingMarket(request.principal);
        const lot = await deps.db.lot.findFirst({
          where: { id: request.params.id, ...(marketId === undefined ? {} : { marketId }) },
          select: { id: true, status: true },
        });
        if (!lot) throw new ApiProblem('NOT_FOUND', `no lot ${request.params.id} at this market`);
        // A judged lot's verdict has been shown and acted on; documents it never saw cannot change it.
        if (lot.status !== 'open')
          throw new ApiProblem('LOT_CLOSED', `lot ${lot.id} is already ${lot.status}`);
        const now = deps.clock.now();
        await deps.db.$transaction(async (tx) => {
          for (const [i, document] of request.body.documents.entries()) {
            await tx.lotDocument.create({
              data: {
                id: documentId(new Date(now.getTime() + i)),
                lotId: lot.id,
                type: 'second_document',
                secondKind: document.kind,
                fields: JSON.stringify({ number: document.number }),
                createdAt: now,
              },
            });
          }
          await app.audit.append(tx, {
            actor: actorOf(request.principal),
            action: 'lot.documents.added',
            entity: 'lot',
            entityId: lot.id,
            data: { kinds: request.body.documents.map((d) => d.kind) },
          });
        });
        const updated = await deps.db.lot.findUniqueOrThrow({
          where: { id: lot.id },
          include: { ...lotViewInclude, documents: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
        });
        return toView(updated);
      },
    );

    app.post(
      '/lots/:id/review',
      {
        schema: {
          tags,
          summary:
            'Staff decide a lot judged `review`: confirming opens a violation; clearing closes the lot.',
          params: IdParam,
          body: LotReview,
          response: {
            200: z.object({ lotId: z.string(), status: z.string(), violationId: z.string().nullable() }),
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
        preParsing: reviewers,
      },
      async (request) => {
        const visible = lotsVisibleTo(request.principal);
        const lot = visible
          ? await deps.db.lot.findFirst({
              where: { AND: [visible, { id: request.params.id }] },
              include: {
                market: { select: { regionCode: true } },
                documents: { select: { certificateId: true } },
                verdicts: { include: { reasons: true }, orderBy: { decidedAt: 'desc' }, take: 1 },
              },
            })
          : null;
        if (!lot) throw new ApiProblem('NOT_FOUND', `lot ${request.params.id} not found`);
        if (lot.outcome !== 'review' || lot.status !== 'judged') {
          throw new ApiProblem('INACTIVE', 'only a lot judged `review` and not yet decided can be reviewed');
        }
        const now = deps.clock.now();
        const confirm = request.body.decision === 'confirm_violation';
        const charges = confirm ? [] : reviewCharges(lot.documents, request.body.charges);
        const reason = lot.verdicts[0]?.reasons[0]?.code ?? 'PAPER_UNVERIFIED';
        const violationId = confirm ? randomUUID() : null;
        const actorId = request.principal.kind === 'user' ? request.principal.userId : null;
        await deps.db.$transaction(async (tx) => {
          for (const charge of charges) await chargeReviewed(tx, lot.id, charge);
          await tx.lot.update({
            where: { id: lot.id },
            data: { status: 'closed', outcome: confirm ? 'reject' : 'accept' },
          });
          if (violationId) {
            await tx.violation.create({
              data: {
                id: violationId,
                lotId: lot.id,
                marketId: lot.marketId,
                regionCode: lot.market.regionCode,
                reason,
                status: 'open',
                createdAt: now,
                updatedAt: now,
                events: {
                  create: {
                    type: 'created',
                    toStatus: 'open',
                    note: request.body.note,
                    evidence: JSON.stringify({ lotId: lot.id, reviewedBy: actorOf(request.principal) }),
                    actorId,
                    at: now,
                  },
                },
              },
            });
          }
          await app.audit.append(tx, {
            actor: actorOf(request.principal),
            action: confirm ? 'lot.review.confirmed' : 'lot.review.cleared',
            entity: 'lot',
            entityId: lot.id,
            data: { note: request.body.note, violationId },
          });
        });
        if (violationId) {
          deps.live.toRegion(lot.market.regionCode, 'violation:created', {
            violationId,
            lotId: lot.id,
            marketId: lot.marketId,
            regionCode: lot.market.regionCode,
            reason,
            at: now.toISOString(),
          });
        }
        return { lotId: lot.id, status: 'closed', violationId };
      },
    );
  };
