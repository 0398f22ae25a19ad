import {
  canIssueFor,
  canManageMarket,
  canSeeIssuer,
  canSeeMarket,
  canSeeRegion,
  canSeeStall,
  type MarketRef,
  type Principal,
} from '@liangzheng/domain';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../http/error-code.ts';
import type { RegistryRepository } from './registry.repository.ts';

/** Reads hide what is out of scope (404); writes on a visible but unmanageable market are forbidden (403). */
export function manageable(principal: Principal, market: MarketRef | null | undefined, what: string): void {
  if (!market || !canSeeMarket(principal, market)) throw new ApiProblem('NOT_FOUND', `${what} not found`);
  if (!canManageMarket(principal, market))
    throw new ApiProblem('FORBIDDEN', `you may not manage this ${what}`);
}

type VendorStalls = { stalls: { id: number; market: MarketRef }[] };
const isAdmin = (principal: Principal) => principal.kind === 'user' && principal.role === 'admin';

/** A vendor's file is visible wherever one of its stalls is. */
export const canSeeVendor = (principal: Principal, vendor: VendorStalls) =>
  vendor.stalls.some((s) => canSeeStall(principal, s)) || isAdmin(principal);

/**
 * A vendor belongs to the markets of its stalls. Its file is changed, and it is named on a stall, only by whoever
 * manages every one of them: a vendor with stalls in two markets is the platform's to change.
 */
export function manageableVendor(principal: Principal, vendor: VendorStalls | null): void {
  if (!vendor || !canSeeVendor(principal, vendor)) throw new ApiProblem('NOT_FOUND', 'vendor not found');
  if (isAdmin(principal)) return;
  if (!vendor.stalls.every((s) => canManageMarket(principal, s.market)))
    throw new ApiProblem('FORBIDDEN', 'the vendor also trades at a market you do not manage');
}

/** The body fields of registry writes that name another row; `referenceChecks` holds the check for each. */
export const referenceFields = [
  'marketId',
  'gateId',
  'stallId',
  'vendorId',
  'issuerId',
  'regionCode',
  'parentCode',
  'regionPrefix',
] as const;
type ReferenceField = (typeof referenceFields)[number];

/** Checks that a referenced row is one the caller may name; throws NOT_FOUND (out of sight) or FORBIDDEN. */
type ReferenceCheck = (principal: Principal, value: number | string) => Promise<void>;

function referenceChecks(repo: RegistryRepository): Record<ReferenceField, ReferenceCheck> {
  const region: ReferenceCheck = async (principal, code) => {
    if (!canSeeRegion(principal, String(code)))
      throw new ApiProblem('FORBIDDEN', `you may not name region ${code}`);
  };
  return {
    marketId: async (principal, id) => manageable(principal, await repo.markets.find(Number(id)), 'market'),
    gateId: async (principal, id) =>
      manageable(principal, (await repo.gates.find(Number(id)))?.market, 'gate'),
    stallId: async (principal, id) =>
      manageable(principal, (await repo.stalls.find(Number(id)))?.market, 'stall'),
    vendorId: async (principal, id) => manageableVendor(principal, await repo.vendors.find(Number(id))),
    issuerId: async (principal, id) => {
      const issuer = await repo.issuers.find(Number(id));
      if (!issuer || !canSeeIssuer(principal, issuer))
        throw new ApiProblem('NOT_FOUND', 'producer not found');
      if (!canIssueFor(principal, issuer.id))
        throw new ApiProblem('FORBIDDEN', 'you may not act for this producer');
    },
    regionCode: region,
    parentCode: region,
    regionPrefix: region,
  };
}

/**
 * preHandler for every registry route: a write may only name rows the caller could manage itself (stall → vendor,
 * vendor → stall, user → market, stall or producer, device → gate, market → region …). The routes check the row
 * being written; this checks what it points at, in one place, so a new reference field cannot be forgotten per
 * route. It runs after the role guard and the body's validation.
 */
export function checkReferences(repo: RegistryRepository) {
  const checks = referenceChecks(repo);
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    if (typeof body !== 'object' || body === null) return;
    for (const field of referenceFields) {
      const value = (body as Record<string, unknown>)[field];
      if (typeof value === 'number' || typeof value === 'string')
        await checks[field](request.principal, value);
    }
  };
}
