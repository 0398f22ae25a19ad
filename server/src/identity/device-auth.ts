import type { DevicePrincipal } from '@liangzheng/domain';
import type { Clock } from '../clock/clock.ts';
import type { Db } from '../storage/db.ts';
import { tokenHash } from './token.ts';

export type DeviceLookup =
  | { ok: true; principal: DevicePrincipal }
  | { ok: false; code: 'DEVICE_UNKNOWN' | 'DEVICE_REVOKED' };

/** A revoked token must be refused within a second, so a cached answer lives at most this long. */
export const DEVICE_CACHE_MS = 1000;

/** Resolves bearer tokens to gate devices, caching each answer for under a second. */
export function createDeviceAuth(db: Db, clock: Clock) {
  const cache = new Map<string, { at: number; result: DeviceLookup }>();
  return {
    async lookup(token: string): Promise<DeviceLookup> {
      const hash = tokenHash(token);
      const now = clock.now().getTime();
      const hit = cache.get(hash);
      if (hit && now - hit.at < DEVICE_CACHE_MS && now >= hit.at) return hit.result;
      const device = await db.device.findUnique({
        where: { tokenHash: hash },
        include: { gate: { select: { marketId: true, active: true } } },
      });
      let result: DeviceLookup;
      if (!device) result = { ok: false, code: 'DEVICE_UNKNOWN' };
      else if (device.revoked || !device.gate.active) result = { ok: false, code: 'DEVICE_REVOKED' };
      else {
        result = {
          ok: true,
          principal: {
            kind: 'device',
            deviceId: device.id,
            gateId: device.gateId,
            marketId: device.gate.marketId,
          },
        };
      }
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { at: now, result });
      return result;
    },
    /** Drops cached answers at once on this node (other nodes expire theirs within DEVICE_CACHE_MS). */
    forget(): void {
      cache.clear();
    },
  };
}
export type DeviceAuth = ReturnType<typeof createDeviceAuth>;
