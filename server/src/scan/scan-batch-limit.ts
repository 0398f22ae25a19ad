/**
 * How many scans one device may submit per minute through batches. A batch is one request for the
 * per-request limit (600/min); this ceiling bounds the scans it carries. 150,000/min (2,500/s) lets a gate
 * that was offline all night (tens of thousands of journaled scans) catch up within a minute, and still stops
 * a runaway device from flooding the server.
 */
export const scansPerMinuteCeiling = 150_000;

export type ScanAllowance = { ok: true } | { ok: false; retryAfterMs: number };

/** A per-device fixed-window count of scans, shared by the socket and HTTP batch paths. */
export interface ScanLimiter {
  take(deviceId: string, scans: number): ScanAllowance;
}

export function scanLimiter(
  now: () => number,
  ceiling = scansPerMinuteCeiling,
  windowMs = 60_000,
): ScanLimiter {
  const windows = new Map<string, { startedAt: number; used: number }>();
  return {
    take(deviceId, scans) {
      const at = now();
      let window = windows.get(deviceId);
      if (!window || at - window.startedAt >= windowMs) {
        window = { startedAt: at, used: 0 };
        windows.set(deviceId, window);
      }
      if (window.used + scans > ceiling) {
        return { ok: false, retryAfterMs: window.startedAt + windowMs - at };
      }
      window.used += scans;
      return { ok: true };
    },
  };
}
