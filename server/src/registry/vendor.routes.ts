import {
  canManageMarket,
  canSeeStall,
  type MarketRef,
  maskSubjectId,
  type Principal,
  Vendor,
  VendorCreate,
  VendorUpdate,
} from '@liangzheng/domain';
import type { VendorModel as VendorRow } from '@liangzheng/prisma';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem } from '../http/error-code.ts';
import { addEntityRoutes } from './entity-routes.ts';
import type { RegistryRepository } from './registry.repository.ts';
import { canSeeVendor, manageableVendor } from './registry-scope.ts';

type VendorWithStalls = VendorRow & { stalls: { id: number; market: MarketRef }[] };

/**
 * The credit code or ID number is stored whole and shown whole only to whoever keeps the file (the admin, the
 * market admin of every one of its stalls) and to the vendor themselves; gate staff and regulators see it masked.
 */
function seesSubjectId(principal: Principal, vendor: VendorWithStalls): boolean {
  if (principal.kind !== 'user') return false;
  if (principal.scope.kind === 'stall') return vendor.stalls.some((s) => canSeeStall(principal, s));
  return principal.role === 'admin' || vendor.stalls.every((s) => canManageMarket(principal, s.market));
}

const toVendor = (row: VendorWithStalls, principal: Principal) => {
  const { stalls: _stalls, createdAt: _created, ...v } = row;
  const subjectId = seesSubjectId(principal, row) ? v.subjectId : maskSubjectId(v.subjectId);
  return Vendor.parse({ ...v, subjectId, leftAt: v.leftAt?.toISOString() ?? null });
};

export const vendorRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    async function managedVendor(principal: Principal, id: number): Promise<void> {
      manageableVendor(principal, await repo.vendors.find(id));
    }

    const readers = ['market_admin', 'gate_staff', 'vendor', 'regulator'] as const;
    const withMarkets = { stalls: { include: { market: true } } } as const;

    addEntityRoutes(app, repo, {
      path: '/vendors',
      entity: 'vendor',
      view: Vendor,
      toView: toVendor,
      list: {
        roles: readers,
        errors: [401, 403],
        rows: async (principal) =>
          (await repo.vendors.listWithMarkets()).filter((v) => canSeeVendor(principal, v)),
      },
      read: {
        roles: readers,
        errors: [401, 403, 404],
        async row(principal, id) {
          const vendor = await repo.vendors.find(id);
          if (!vendor || !canSeeVendor(principal, vendor))
            throw new ApiProblem('NOT_FOUND', 'vendor not found');
          return vendor;
        },
      },
      create: {
        roles: ['market_admin'],
        body: VendorCreate,
        errors: [400, 401, 403, 404, 409],
        async accept(_principal, body) {
          const stall = await repo.stalls.find(body.stallId);
          if (stall?.vendorId) throw new ApiProblem('ALREADY_EXISTS', 'the stall already has a vendor');
          return body;
        },
        async run(tx, { stallId, ...fields }) {
          const created = await tx.vendor.create({ data: fields });
          await tx.stall.update({ where: { id: stallId }, data: { vendorId: created.id } });
          return tx.vendor.findUniqueOrThrow({ where: { id: created.id }, include: withMarkets });
        },
      },
      update: {
        roles: ['market_admin'],
        body: VendorUpdate,
        errors: [400, 401, 403, 404],
        async accept(principal, id, body) {
          await managedVendor(principal, id);
          return body;
        },
        run: (tx, id, body) => tx.vendor.update({ where: { id }, data: body, include: withMarkets }),
      },
      deactivate: {
        roles: ['market_admin'],
        errors: [401, 403, 404],
        accept: managedVendor,
        // The vendor file is kept (6 months after leaving, SAMR Order 81): deactivation records when they left.
        run: (tx, id) =>
          tx.vendor.update({
            where: { id },
            data: { active: false, leftAt: repo.now() },
            include: withMarkets,
          }),
      },
    });
  };
