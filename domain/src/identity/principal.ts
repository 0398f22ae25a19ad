import { z } from 'zod';

export const Role = z.enum(['admin', 'market_admin', 'gate_staff', 'vendor', 'producer', 'regulator']);
export type Role = z.infer<typeof Role>;
export const roles = Role.options;

/** What a user may see, derived from the role and the user row. */
export type Scope =
  | { kind: 'all' }
  | { kind: 'market'; marketId: number }
  | { kind: 'stall'; marketId: number; stallId: number }
  | { kind: 'issuer'; issuerId: number }
  | { kind: 'region'; prefix: string };

export type UserPrincipal = {
  kind: 'user';
  userId: number;
  username: string;
  role: Role;
  scope: Scope;
  sessionId: string;
};
export type DevicePrincipal = { kind: 'device'; deviceId: string; gateId: number; marketId: number };
export type PublicPrincipal = { kind: 'public' };
export type Principal = UserPrincipal | DevicePrincipal | PublicPrincipal;

export const publicPrincipal: PublicPrincipal = { kind: 'public' };

/** Where a market sits, enough to decide scope. */
export interface MarketRef {
  id: number;
  regionCode: string;
}

export function canSeeRegion(principal: Principal, regionCode: string): boolean {
  if (principal.kind !== 'user') return false;
  const s = principal.scope;
  if (s.kind === 'all') return true;
  return s.kind === 'region' && regionCode.startsWith(s.prefix);
}

export function canSeeMarket(principal: Principal, market: MarketRef): boolean {
  if (principal.kind === 'device') return principal.marketId === market.id;
  if (principal.kind !== 'user') return false;
  const s = principal.scope;
  switch (s.kind) {
    case 'all':
      return true;
    case 'market':
    case 'stall':
      return s.marketId === market.id;
    case 'region':
      return market.regionCode.startsWith(s.prefix);
    case 'issuer':
      return false;
  }
}

/** Administering a market (gates, stalls, devices, staff) is narrower than seeing it. */
export function canManageMarket(principal: Principal, market: MarketRef): boolean {
  if (principal.kind !== 'user') return false;
  if (principal.role === 'admin') return true;
  return (
    principal.role === 'market_admin' &&
    principal.scope.kind === 'market' &&
    principal.scope.marketId === market.id
  );
}

export function canSeeStall(principal: Principal, stall: { id: number; market: MarketRef }): boolean {
  if (principal.kind === 'user' && principal.scope.kind === 'stall')
    return principal.scope.stallId === stall.id;
  return canSeeMarket(principal, stall.market);
}

/** An issuer is visible to its own producer, to admins and to regulators of its region. */
export function canSeeIssuer(principal: Principal, issuer: { id: number; regionCode: string }): boolean {
  if (principal.kind !== 'user') return false;
  const s = principal.scope;
  if (s.kind === 'all') return true;
  if (s.kind === 'issuer') return s.issuerId === issuer.id;
  return s.kind === 'region' && issuer.regionCode.startsWith(s.prefix);
}

/** Issuing in an issuer's name: its producer users, or an admin. */
export function canIssueFor(principal: Principal, issuerId: number): boolean {
  if (principal.kind !== 'user') return false;
  if (principal.role === 'admin') return true;
  return principal.scope.kind === 'issuer' && principal.scope.issuerId === issuerId;
}

/** Turns a stored user row into its scope; a row missing the field its role needs gets no scope (undefined). */
export function scopeOf(user: {
  role: string;
  marketId: number | null;
  stallId: number | null;
  issuerId: number | null;
  regionPrefix: string | null;
}): { role: Role; scope: Scope } | undefined {
  const role = Role.safeParse(user.role);
  if (!role.success) return undefined;
  switch (role.data) {
    case 'admin':
      return { role: role.data, scope: { kind: 'all' } };
    case 'market_admin':
    case 'gate_staff':
      return user.marketId == null
        ? undefined
        : { role: role.data, scope: { kind: 'market', marketId: user.marketId } };
    case 'vendor':
      return user.stallId == null || user.marketId == null
        ? undefined
        : { role: role.data, scope: { kind: 'stall', marketId: user.marketId, stallId: user.stallId } };
    case 'producer':
      return user.issuerId == null
        ? undefined
        : { role: role.data, scope: { kind: 'issuer', issuerId: user.issuerId } };
    case 'regulator':
      return user.regionPrefix
        ? { role: role.data, scope: { kind: 'region', prefix: user.regionPrefix } }
        : undefined;
  }
}
