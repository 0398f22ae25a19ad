import { z } from 'zod';

/** At most this many scans, and this many lots, in one batch: one request, one rate-limit token. */
export const maxBatchScans = 500;
export const maxBatchLots = 500;

/**
 * Body of `scan:submit-batch` (socket.io, with ack) and `POST /api/v1/scans/batch`: the lots the scans need
 * (registered first, as `POST /api/v1/lots` would) and the scans, in journal order. Items are validated one by
 * one (as `LotCreate` and `ScanSubmission`), so one malformed item is refused alone and never blocks the
 * items behind it.
 */
export const ScanBatch = z.strictObject({
  lots: z
    .array(z.unknown().meta({ description: 'a LotCreate body, with the agent-chosen id' }))
    .max(maxBatchLots)
    .default([]),
  scans: z.array(z.unknown().meta({ description: 'a ScanSubmission body' })).max(maxBatchScans),
  /** lots the gate closed (本车扫完), closed after the batch's scans as `POST /api/v1/lots/:id/close` would */
  closes: z
    .array(z.unknown().meta({ description: 'a lot id' }))
    .max(maxBatchLots)
    .default([]),
});
export type ScanBatch = z.output<typeof ScanBatch>;

export const ItemError = z.object({ code: z.string(), message: z.string() });
export type ItemError = z.infer<typeof ItemError>;

/** A lot of the batch: registered now or before (`replayed`), or refused with a code. */
export const LotItemResult = z.union([
  z.object({ lotId: z.string(), ok: z.literal(true), replayed: z.boolean() }),
  z.object({ lotId: z.string().nullable(), ok: z.literal(false), error: ItemError }),
]);
export type LotItemResult = z.infer<typeof LotItemResult>;

/**
 * A scan of the batch: the same ScanAnswer the single path gives (a re-send replays the first one), or a
 * coded refusal. Described loosely here: the answer is the single path's stored text, embedded as is.
 */
export const ScanItemResult = z.union([
  z.object({ ok: z.literal(true), replayed: z.boolean(), answer: z.record(z.string(), z.unknown()) }),
  z.object({ ok: z.literal(false), error: ItemError }),
]);

/** A close of the batch: done now or before (`outcome` is then the lot's final one), or refused with a code. */
export const CloseItemResult = z.union([
  z.object({ lotId: z.string(), ok: z.literal(true), outcome: z.string().nullable() }),
  z.object({ lotId: z.string().nullable(), ok: z.literal(false), error: ItemError }),
]);
export type CloseItemResult = z.infer<typeof CloseItemResult>;

/** The batch's answer: one result per lot, per scan and per close, in the order sent. */
export const ScanBatchAnswer = z.object({
  lots: z.array(LotItemResult),
  results: z.array(ScanItemResult),
  closes: z.array(CloseItemResult),
});
export type ScanBatchAnswer = z.infer<typeof ScanBatchAnswer>;
