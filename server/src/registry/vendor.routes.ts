import {
  canSeeStall,
  IdParam,
  type MarketRef,
  type Principal,
  Vendor,
  VendorCreate,
  VendorUpdate,
} from '@liangzheng/domain';
import type { VendorModel as VendorRow } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { manageable } from './market.routes.ts';
import type { RegistryRepository } from './registry.repository.ts';

const toVendor = ({ stalls: _stalls, createdAt: _created, ...v }: VendorRow & { stalls: unknown[] }) =>
  Vendor.parse({ ...v, leftAt: v.leftAt?.toISOString() ?? null });

/** A vendor's file is visible wherever one of its stalls is. */
const canSeeVendor = (principal: Principal, vendor: { stalls: { id: number; market: MarketRef }[] }) =>
  vendor.stalls.some((s) => canSeeStall(principal, s)) ||
  (principal.kind === 'user' && principal.role === 'admin');

export const vendorRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['registry'];
    const managers = app.requireRole(['market_admin']);

    async function managedVendor(principal: Principal, id: number) {
      const vendor = await repo.vendors.find(id);
      if (!vendor || !canSeeVendor(principal, vendor)) throw new ApiProblem('NOT_FOUND', 'vendor not found');
      if (principal.kind === 'user' && principal.role === 'admin') return vendor;
      manageable(principal, vendor.stalls.find((s) => canSeeStall(principal, s))?.market, 'vendor');
      return vendor;
    }

    app.get(
      '/vendors',
      {
        schema: { tags, response: { 200: z.array(Vendor), ...errorResponses(401, 403) } },
        preHandler: app.requireRole(['market_admin', 'gate_staff', 'vendor', 'regulator']),
      },
      async (request) =>
        (await repo.vendors.listWithMarkets())
          .filter((v) => canSeeVendor(request.principal, v))
          .map(toVendor),
    );
    app.get(
      '/vendors/:id',
      {
        schema: { tags, params: IdParam, response: { 200: Vendor, ...errorResponses(401, 403, 404) } },
        preHandler: app.requireRole(['market_admin', 'gate_staff', 'vendor', 'regulator']),
      },
      async (request) => {
        const vendor = await repo.vendors.find(request.params.id);
        if (!vendor || !canSeeVendor(request.principal, vendor))
          throw new ApiProblem('NOT_FOUND', 'vendor not found');
        return toVendor(vendor);
      },
    );
    app.post(
      '/vendors',
      {
        schema: {
          tags,
          body: VendorCreate,
          response: { 201: Vendor, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preHandler: managers,
      },
      async (request, reply) => {
        const { stallId, ...fields } = request.body;
        const stall = await repo.stalls.find(stallId);
        manageable(request.principal, stall?.market, 'stall');
        if (stall?.vendorId) throw new ApiProblem('ALREADY_EXISTS', 'the stall already has a vendor');
        const vendor = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'vendor',
          data: request.body,
          run: async (tx) => {
            const created = await tx.vendor.create({ data: fields });
            await tx.stall.update({ where: { id: stallId }, data: { vendorId: created.id } });
            return tx.vendor.findUniqueOrThrow({
              where: { id: created.id },
              include: { stalls: { include: { market: true } } },
            });
          },
          idOf: (v) => v.id,
        });
        return reply.code(201).send(toVendor(vendor));
      },
    );
    app.patch(
      '/vendors/:id',
      {
        schema: {
          tags,
          params: IdParam,
          body: VendorUpdate,
          response: { 200: Vendor, ...errorResponses(400, 401, 403, 404) },
        },
        preHandler: managers,
      },
      async (request) => {
        await managedVendor(request.principal, request.params.id);
        const vendor = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity: 'vendor',
          data: request.body,
          run: (tx) =>
            tx.vendor.update({
              where: { id: request.params.id },
              data: request.body,
              include: { stalls: { include: { market: true } } },
            }),
          idOf: (v) => v.id,
        });
        return toVendor(vendor);
      },
    );
    app.post(
      '/vendors/:id/deactivate',
      {
        schema: { tags, params: IdParam, response: { 200: Vendor, ...errorResponses(401, 403, 404) } },
        preHandler: managers,
      },
      async (request) => {
        await managedVendor(request.principal, request.params.id);
        // The vendor file is kept (6 months after leaving, SAMR Order 81): deactivation records when they left.
        const vendor = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity: 'vendor',
          run: (tx) =>
            tx.vendor.update({
              where: { id: request.params.id },
              data: { active: false, leftAt: repo.now() },
              include: { stalls: { include: { market: true } } },
            }),
          idOf: (v) => v.id,
        });
        return toVendor(vendor);
      },
    );
  };
