import { z } from 'zod';
import { ScanSubmission } from '../lot/scan.ts';
import { ReasonCode } from '../reason/reason-code.ts';
import { ScanAnswer } from '../scan/scan-schema.ts';
import { VerdictOutcome } from '../verdict/verdict-result.ts';

/** server → gate room: the verdict for a scan made at that gate */
export const ScanVerdictEvent = ScanAnswer;

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

/** server → agents room: a certificate was voided; drop it at once, before the next snapshot */
export const TrustRevocationEvent = z.object({
  certificateId: z.string(),
  reason: z.string(),
  at: z.string(),
  trustVersion: z.number(),
});

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
  'rate:limited': { direction: 'server → the sender', schema: 'RateLimitedEvent' },
} as const;
