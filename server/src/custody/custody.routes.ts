import {
  AssignRequest,
  canManageMarket,
  canSeeMarket,
  canSeeStall,
  IdParam,
  InventoryItemParam,
  InventoryItemView,
  InventoryQuery,
  MarketParam,
  type Principal,
  type RecallIssuedEvent,
  RecallRequest,
  RecallView,
  StallParam,
  StallReceipt,
  StallReceiptRequest,
  VendorIssuerLink,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { findItem, listInventory, toItemView } from './inventory.ts';
import { mayRecall, recall } from './recall.ts';
import { receiveAtStall } from './stall-receipt.ts';
import { linkVendorIssuer } from './vendor-issuer.ts';

const tags = ['custody'];

/** A stall the principal may see, with its market; NOT_FOUND otherwise (existence is not revealed). */
export async function visibleStall(
  app: Parameters<FastifyPluginAsyncZod>[0],
  principal: Principal,
  id: number,
) {
  const stall = await app.prisma.stall.findUnique({
    where: { id },
    select: { id: true, marketId: true, market: { select: { id: true, regionCode: true } } },
  });
  if (!stall || !canSeeStall(principal, stall)) throw new ApiProblem('NOT_FOUND', `no stall ${id}`);
  return stall;
}

/** Stall inventory, the market's unassigned stock, receipts at a stall and a vendor's own issuing identity. */
export const custodyRoutes: FastifyPluginAsyncZod = async (app) => {
  const readers = app.requireRole(['market_admin', 'gate_staff', 'vendor', 'regulator']);
  const marketStaff = app.requireRole(['market_admin', 'gate_staff', 'regulator']);
  const receivers = app.requireRole(['vendor', 'market_admin']);
  const marketAdmins = app.requireRole(['market_admin']);

  app.get(
    '/stalls/:stallId/inventory',
    {
      schema: {
        tags,
        summary: 'A stall’s inventory: goods per certificate, what is left, held (stop-sale) or not',
        params: StallParam,
        querystring: InventoryQuery,
        response: { 200: InventoryItemView.array(), ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: readers,
    },
    async (request) => {
      const stall = await visibleStall(app, request.principal, request.params.stallId);
      return listInventory(
        app.prisma,
        { marketId: stall.marketId, stallId: stall.id },
        request.query.all === 'true',
      );
    },
  );

  app.get(
    '/markets/:marketId/inventory',
    {
      schema: {
        tags,
        summary: 'The market’s unassigned stock: accepted lots declared for no stall',
        params: MarketParam,
        querystring: InventoryQuery,
        response: { 200: InventoryItemView.array(), ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: marketStaff,
    },
    async (request) => {
      const market = await app.prisma.market.findUnique({
        where: { id: request.params.marketId },
        select: { id: true, regionCode: true },
      });
      if (!market || !canSeeMarket(request.principal, market))
        throw new ApiProblem('NOT_FOUND', 'market not found');
      return listInventory(app.prisma, { marketId: market.id, stallId: null }, request.query.all === 'true');
    },
  );

  app.post(
    '/inventory/:id/assign',
    {
      schema: {
        tags,
        summary: 'Market staff assign an item of the unassigned stock, untouched, to a stall of the market',
        params: InventoryItemParam,
        body: AssignRequest,
        response: { 200: InventoryItemView, ...errorResponses(400, 401, 403, 404, 409) },
      },
      preParsing: marketAdmins,
    },
    async (request) => {
      const item = await findItem(app.prisma, request.params.id);
      const market = item
        ? await app.prisma.market.findUnique({
            where: { id: item.marketId },
            select: { id: true, regionCode: true },
          })
        : null;
      if (!item || !market || !canSeeMarket(request.principal, market))
        throw new ApiProblem('NOT_FOUND', 'inventory item not found');
      if (!canManageMarket(request.principal, market))
        throw new ApiProblem('FORBIDDEN', 'only market staff assign stock');
      const stall = await app.prisma.stall.findUnique({ where: { id: request.body.stallId } });
      if (stall?.marketId !== item.marketId)
        throw new ApiProblem('INVALID_REFERENCE', `no stall ${request.body.stallId} at this market`);
      const moved = await app.prisma.$transaction(async (tx) => {
        const updated = await tx.inventoryItem.updateMany({
          where: { id: item.id, stallId: null, drawn: 0 },
          data: { stallId: stall.id },
        });
        if (updated.count === 0) return false;
        await app.audit.append(tx, {
          actor: actorOf(request.principal),
          action: 'inventory.assigned',
          entity: 'inventory_item',
          entityId: item.id,
          data: { stallId: stall.id },
        });
        return true;
      });
      if (!moved) throw new ApiProblem('INACTIVE', 'only untouched unassigned stock can be assigned');
      return toItemView((await findItem(app.prisma, item.id))!);
    },
  );

  app.post(
    '/stalls/:stallId/receipts',
    {
      schema: {
        tags,
        summary:
          'Receive goods at a stall without a gate by scanning the certificate there: the same verdict and ledger ' +
          'charge as at a gate; accepted goods enter the stall’s inventory',
        params: StallParam,
        body: StallReceiptRequest,
        response: { 200: StallReceipt, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
      preParsing: receivers,
    },
    async (request) => {
      const stall = await visibleStall(app, request.principal, request.params.stallId);
      const { scanDeps, trust, live } = app.scanFlow;
      return receiveAtStall(
        {
          scans: scanDeps,
          lots: {
            db: app.prisma,
            trust,
            ed25519: scanDeps.ed25519,
            clock: app.clock,
            live,
            audit: app.audit,
          },
        },
        stall,
        request.body,
        actorOf(request.principal),
      );
    },
  );

  app.post(
    '/vendors/:id/issuer',
    {
      schema: {
        tags,
        summary:
          'Give a vendor its own repacker identity and signing key, so its users issue 样式二 certificates in its name',
        params: IdParam,
        response: { 201: VendorIssuerLink, ...errorResponses(400, 401, 403, 404, 409) },
      },
      preParsing: marketAdmins,
    },
    async (request, reply) => {
      const vendor = await app.prisma.vendor.findUnique({
        where: { id: request.params.id },
        select: { stalls: { select: { market: { select: { id: true, regionCode: true } } } } },
      });
      const market = vendor?.stalls.map((s) => s.market).find((m) => canSeeMarket(request.principal, m));
      if (!vendor || (!market && !(request.principal.kind === 'user' && request.principal.role === 'admin')))
        throw new ApiProblem('NOT_FOUND', 'vendor not found');
      if (!market) throw new ApiProblem('INVALID_REFERENCE', 'the vendor has no stall, so no market region');
      if (!canManageMarket(request.principal, market))
        throw new ApiProblem('FORBIDDEN', 'only the market’s administrator links a vendor');
      const linked = await linkVendorIssuer(
        { db: app.prisma, keyring: app.keyring, audit: app.audit, now: () => app.clock.now() },
        actorOf(request.principal),
        request.params.id,
        market.regionCode,
      );
      app.scanFlow.trust.invalidate();
      return reply.code(201).send(linked);
    },
  );

  app.post(
    '/recalls',
    {
      schema: {
        tags,
        summary:
          'Recall a certificate, or a producer’s over an issue-date range: every descendant revoked, the goods held, ' +
          'agents told live, the holding markets and the regions’ regulators notified',
        body: RecallRequest,
        response: { 201: RecallView, ...errorResponses(400, 401, 403, 404) },
      },
      preParsing: app.requireRole(['producer', 'regulator']),
    },
    async (request, reply) => {
      if (!(await mayRecall(app.prisma, request.principal, request.body)))
        throw new ApiProblem('NOT_FOUND', 'certificate or producer not found');
      const done = await recall(
        { db: app.prisma, dialect: app.dialect, audit: app.audit, now: () => app.clock.now() },
        actorOf(request.principal),
        request.body,
      );
      const at = done.at.toISOString();
      app.events.emit('certificate.voided', { revoked: done.revoked, at });
      app.events.emit('recall.issued', { recallId: done.id });
      const notice: RecallIssuedEvent = {
        recallId: done.id,
        reason: done.reason,
        revoked: done.covered,
        heldItems: done.heldItems,
        at,
      };
      const { live } = app.scanFlow;
      for (const market of done.markets) live.toMarket(market.marketId, 'recall:issued', notice);
      for (const region of done.regions) live.toRegion(region, 'recall:issued', notice);
      return reply.code(201).send({
        id: done.id,
        reason: done.reason,
        at,
        revoked: done.covered,
        heldItems: done.heldItems,
      });
    },
  );
};
