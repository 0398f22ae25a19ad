import type { DevicePrincipal, Principal } from '@liangzheng/domain';
import type { Server, Socket } from 'socket.io';
import { ingestScanBatch, type ScanBatchDeps } from './scan-batch.ts';
import type { ScanLimiter } from './scan-batch-limit.ts';
import { ScanBatch } from './scan-batch-schema.ts';

export interface ScanBatchSocketDeps {
  batch: ScanBatchDeps;
  limiter: ScanLimiter;
  /** the handshake token checked again per batch, so a revoked device is refused at once */
  stillAllowed(token: string): Promise<{ ok: true } | { ok: false; code: string }>;
}

type Ack = (answer: unknown) => void;

/**
 * `scan:submit-batch` with an ack, on every device socket: the same batch and per-item answers as
 * `POST /api/v1/scans/batch`, with each scan's answer as an object. A refusal of the whole batch is
 * `{ ok: false, error: { code, message } }`.
 */
export function attachScanBatchEvents(io: Server, deps: ScanBatchSocketDeps): void {
  io.on('connection', (socket: Socket) => {
    socket.on('scan:submit-batch', async (body: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      const principal = socket.data.principal as Principal;
      if (principal.kind !== 'device') {
        ack({ ok: false, error: { code: 'FORBIDDEN', message: 'only gate devices submit scans' } });
        return;
      }
      try {
        ack(await answer(deps, principal, String(socket.handshake.auth?.token ?? ''), body));
      } catch {
        ack({
          ok: false,
          error: { code: 'DATABASE_UNAVAILABLE', message: 'the batch was not stored; send it again' },
        });
      }
    });
  });
}

async function answer(deps: ScanBatchSocketDeps, device: DevicePrincipal, token: string, body: unknown) {
  const allowed = await deps.stillAllowed(token);
  if (!allowed.ok)
    return { ok: false, error: { code: allowed.code, message: 'this device may no longer submit' } };
  const parsed = ScanBatch.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: parsed.error.issues[0]?.message ?? 'invalid batch' },
    };
  }
  const allowance = deps.limiter.take(device.deviceId, parsed.data.scans.length);
  if (!allowance.ok) {
    return {
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: 'too many scans this minute',
        retryAfterMs: allowance.retryAfterMs,
      },
    };
  }
  const result = await ingestScanBatch(deps.batch, parsed.data, device, `device:${device.deviceId}`);
  return {
    ok: true,
    lots: result.lots,
    results: result.scans.map((item) =>
      item.ok
        ? { ok: true, replayed: item.replayed, answer: JSON.parse(item.response) as unknown }
        : { ok: false, error: { code: item.error.code, message: item.error.message } },
    ),
    closes: result.closes,
  };
}
