import { z } from 'zod';
import { CertificateId } from '../certificate/certificate.ts';
import { ScanSubmission } from '../lot/scan.ts';
import { ReasonCode } from '../reason/reason-code.ts';
import { ScanReversal } from '../scan/scan-reversal.ts';
import { ScanAnswer } from '../scan/scan-schema.ts';
import { VerdictOutcome } from '../verdict/verdict-result.ts';

/** server → gate room: the verdict for a scan made at that gate */
export const ScanVerdictEvent = ScanAnswer;

/**
 * server → gate rooms (the lot's gate, and the scanning device's when it is another): a scan was undone and its
 * lot judged again on the codes left, as `POST /api/v1/scans/:id/reversal` answered the screen that undid it
 */
export const ScanReversedEvent = ScanReversal;

/** server → gate room: an offline (provisional) verdict the server judged differently */
export const ScanConflictEvent = z.object({
  scanId: z.string(),
  lotId: z.string(),
  provisionalOutcome: VerdictOutcome.nullable(),
  outcome: VerdictOutcome,
  message: z.string(),
});

/** server → market room: one arrival for the market's feed */
export const LotArrivalEvent = z.object({
  lotId: z.string(),
  gateId: z.number().nullable(),
  productName: z.string(),
  quantity: z.number(),
  unit: z.string(),
  outcome: VerdictOutcome.nullable(),
  at: z.string(),
});

/** server → region rooms (2, 4 and 6 digit prefixes): a new violation for regulators */
export const ViolationCreatedEvent = z.object({
  violationId: z.string(),
  lotId: z.string(),
  marketId: z.number(),
  regionCode: z.string(),
  reason: ReasonCode,
  at: z.string(),
});

/** server → region rooms: a violation moved, was assigned, or got a note or evidence */
export const ViolationChangedEvent = z.object({
  violationId: z.string(),
  regionCode: z.string(),
  type: z.enum(['status', 'assigned', 'note', 'evidence']),
  status: z.string(),
  at: z.string(),
});

/** server → the lot's gate room, market room and region rooms: a rapid test came back positive; its goods are held */
export const RapidTestPositiveEvent = z.object({
  rapidTestId: z.string(),
  lotId: z.string(),
  marketId: z.number(),
  regionCode: z.string(),
  stallId: z.number().nullable(),
  productName: z.string(),
  analyte: z.string(),
  method: z.string(),
  /** the end of the 4-hour retest window */
  retestBy: z.string(),
  heldItems: z.array(z.string()),
  at: z.string(),
});

/** server → market room and region rooms: a held positive was retested or decided */
export const RapidTestChangedEvent = z.object({
  rapidTestId: z.string(),
  lotId: z.string(),
  marketId: z.number(),
  regionCode: z.string(),
  /** window: the 4 hours ran out without a retest, which confirms the positive */
  type: z.enum(['retest', 'decision', 'window']),
  stage: z.string(),
  at: z.string(),
});

/** The most certificate ids one `trust:revocation` event carries: a larger cascade is pushed in chunks. */
export const maxRevocationsPerEvent = 1000;

/**
 * server → agents room: certificates voided together (a void and its cascade, a recall); drop them all at once,
 * before the next snapshot. At most `maxRevocationsPerEvent` ids; `trustVersion` is the highest among them.
 */
export const TrustRevocationEvent = z.object({
  certificateIds: z.array(CertificateId).min(1).max(maxRevocationsPerEvent),
  reason: z.string(),
  at: z.string(),
  trustVersion: z.number().int().nonnegative(),
});
export type TrustRevocationEvent = z.infer<typeof TrustRevocationEvent>;

/** One certificate voided, as a void or a recall reports it. */
export interface RevokedCertificate {
  certificateId: string;
  reason: string;
  trustVersion: number;
}

/**
 * The `trust:revocation` events that push `revoked` (in its order): one per run of the same reason, cut into
 * chunks of at most `maxRevocationsPerEvent` ids. A recall of 1,500 certificates is two events, not 1,500.
 */
export function trustRevocationEvents(
  revoked: readonly RevokedCertificate[],
  at: string,
): TrustRevocationEvent[] {
  const events: TrustRevocationEvent[] = [];
  let open: TrustRevocationEvent | undefined;
  for (const { certificateId, reason, trustVersion } of revoked) {
    if (!open || open.reason !== reason || open.certificateIds.length >= maxRevocationsPerEvent) {
      open = { certificateIds: [], reason, at, trustVersion };
      events.push(open);
    }
    open.certificateIds.push(certificateId);
    open.trustVersion = Math.max(open.trustVersion, trustVersion);
  }
  return events;
}

/** server → agents room: the trust data changed; fetch `GET /api/v1/trust?since=<your version>` */
export const TrustChangedEvent = z.object({ version: z.number() });

/** client → server (devices): submit a scan; the ack carries `ScanAck` */
export const ScanSubmitMessage = ScanSubmission;

export const ScanAck = z.union([
  z.object({ ok: z.literal(true), answer: ScanAnswer }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** client → server (console users): follow a room the principal may see; the ack says whether it was joined */
export const WatchMessage = z.strictObject({
  room: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('gate'), gateId: z.number().int().positive() }),
    z.strictObject({ kind: z.literal('market'), marketId: z.number().int().positive() }),
    z.strictObject({ kind: z.literal('region'), prefix: z.string().regex(/^\d{2}(\d{2}){0,2}$/) }),
  ]),
});

/** The error of a client message refused by the rate limit: in its ack, or in a `rate:limited` event. */
export const RateLimitedError = z.object({
  code: z.literal('RATE_LIMITED'),
  message: z.string(),
  retryAfterMs: z.number().nonnegative(),
});
export type RateLimitedError = z.infer<typeof RateLimitedError>;

/** server → the sender: a message sent without an ack was refused by the rate limit */
export const RateLimitedEvent = z.object({ event: z.string(), error: RateLimitedError });
export type RateLimitedEvent = z.infer<typeof RateLimitedEvent>;

/** Every socket event, its direction and its schema: docs/api.md is written from this table. */
export const socketEvents = {
  'scan:submit': { direction: 'client → server (device)', schema: 'ScanSubmitMessage, ack ScanAck' },
  'scan:submit-batch': {
    direction: 'client → server (device)',
    schema: 'ScanBatch, ack { ok, answer: ScanBatchAnswer } | { ok: false, error }',
  },
  watch: { direction: 'client → server (user)', schema: 'WatchMessage, ack { ok, room? , error? }' },
  'scan:verdict': { direction: 'server → gate room', schema: 'ScanVerdictEvent' },
  'scan:conflict': { direction: 'server → gate room', schema: 'ScanConflictEvent' },
  'scan:reversed': { direction: 'server → gate rooms', schema: 'ScanReversedEvent' },
  'lot:arrival': { direction: 'server → market room', schema: 'LotArrivalEvent' },
  'violation:created': { direction: 'server → region rooms', schema: 'ViolationCreatedEvent' },
  'violation:changed': { direction: 'server → region rooms', schema: 'ViolationChangedEvent' },
  'rapid-test:positive': {
    direction: 'server → gate, market and region rooms',
    schema: 'RapidTestPositiveEvent',
  },
  'rapid-test:changed': { direction: 'server → market and region rooms', schema: 'RapidTestChangedEvent' },
  'trust:revocation': { direction: 'server → agents room', schema: 'TrustRevocationEvent' },
  'trust:changed': { direction: 'server → agents room', schema: 'TrustChangedEvent' },
  'recall:issued': { direction: 'server → holding market and region rooms', schema: 'RecallIssuedEvent' },
  'rate:limited': { direction: 'server → the sender', schema: 'RateLimitedEvent' },
} as const;
