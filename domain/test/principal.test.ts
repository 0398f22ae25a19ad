import { describe, expect, it } from 'vitest';
import {
  canManageMarket,
  canSeeIssuer,
  canSeeMarket,
  canSeeStall,
  type Principal,
  scopeOf,
} from '../src/identity/principal.ts';

const user = (role: string, fields: Partial<Parameters<typeof scopeOf>[0]>): Principal => {
  const scoped = scopeOf({
    role,
    marketId: null,
    stallId: null,
    issuerId: null,
    regionPrefix: null,
    ...fields,
  });
  if (!scoped) throw new Error('no scope');
  return { kind: 'user', userId: 1, username: 'u', sessionId: 's', ...scoped };
};
const changsha = { id: 1, regionCode: '430102' };
const zhuzhou = { id: 2, regionCode: '430211' };

describe('scopes', () => {
  it('a regulator sees markets whose region code starts with their prefix, at every level', () => {
    expect(canSeeMarket(user('regulator', { regionPrefix: '43' }), zhuzhou)).toBe(true);
    expect(canSeeMarket(user('regulator', { regionPrefix: '4301' }), changsha)).toBe(true);
    expect(canSeeMarket(user('regulator', { regionPrefix: '4301' }), zhuzhou)).toBe(false);
    expect(canSeeMarket(user('regulator', { regionPrefix: '430102' }), changsha)).toBe(true);
  });

  it('a regulator sees but does not manage', () => {
    expect(canManageMarket(user('regulator', { regionPrefix: '43' }), changsha)).toBe(false);
  });

  it('market staff see only their market; only its market_admin manages it', () => {
    expect(canSeeMarket(user('gate_staff', { marketId: 1 }), changsha)).toBe(true);
    expect(canSeeMarket(user('gate_staff', { marketId: 1 }), zhuzhou)).toBe(false);
    expect(canManageMarket(user('gate_staff', { marketId: 1 }), changsha)).toBe(false);
    expect(canManageMarket(user('market_admin', { marketId: 1 }), changsha)).toBe(true);
    expect(canManageMarket(user('market_admin', { marketId: 2 }), changsha)).toBe(false);
  });

  it('a vendor sees their own stall, not their neighbour’s', () => {
    const vendor = user('vendor', { marketId: 1, stallId: 7 });
    expect(canSeeStall(vendor, { id: 7, market: changsha })).toBe(true);
    expect(canSeeStall(vendor, { id: 8, market: changsha })).toBe(false);
  });

  it('a producer sees its own issuer and no market', () => {
    const producer = user('producer', { issuerId: 3 });
    expect(canSeeIssuer(producer, { id: 3, regionCode: '430182' })).toBe(true);
    expect(canSeeIssuer(producer, { id: 4, regionCode: '430182' })).toBe(false);
    expect(canSeeMarket(producer, changsha)).toBe(false);
  });

  it('a device sees its own market only; the public sees none', () => {
    const device: Principal = { kind: 'device', deviceId: 'd', gateId: 1, marketId: 1 };
    expect(canSeeMarket(device, changsha)).toBe(true);
    expect(canSeeMarket(device, zhuzhou)).toBe(false);
    expect(canSeeMarket({ kind: 'public' }, changsha)).toBe(false);
  });

  it('a user row missing the field its role needs gets no scope', () => {
    expect(
      scopeOf({ role: 'market_admin', marketId: null, stallId: null, issuerId: null, regionPrefix: null }),
    ).toBeUndefined();
    expect(
      scopeOf({ role: 'regulator', marketId: null, stallId: null, issuerId: null, regionPrefix: '' }),
    ).toBeUndefined();
    expect(
      scopeOf({ role: 'superuser', marketId: 1, stallId: null, issuerId: null, regionPrefix: null }),
    ).toBeUndefined();
  });
});
