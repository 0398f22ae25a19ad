import { z } from 'zod';
import { ScannedText, SingleLineText } from '../text/text.ts';
import { Reason, VerdictOutcome } from '../verdict/verdict-result.ts';

/** Ids chosen by clients and the server for lots and gates. */
export const EntityId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: 1–64 letters, digits, _ or -');

/**
 * How a code was read, kept so that a garbled read (layout mismatch, Caps Lock) can be told from a forgery.
 * hid: HID POS scanner; wedge: keyboard-wedge scanner; camera: decoded from an image; manual: typed by a person.
 */
export const ScanProvenance = z.strictObject({
  source: z.enum(['hid', 'wedge', 'camera', 'manual']),
  rawText: ScannedText.max(4096),
  symbology: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/)
    .optional(),
  /** milliseconds between successive keystrokes, for wedge scanners and typing */
  keystrokeTimings: z.array(z.number().nonnegative().max(60_000)).max(4096),
  deviceTime: z.iso.datetime({ offset: true }),
  decoder: SingleLineText.min(1).max(64),
});
export type ScanProvenance = z.output<typeof ScanProvenance>;

/** A reason as a gate sends it: its detail is a one-line diagnostic, like the ones the core writes. */
const ProvisionalReason = Reason.extend({ detail: SingleLineText.max(200).optional() });

/** The verdict a gate reached offline, to be re-judged by the server. */
export const ProvisionalVerdict = z.strictObject({
  outcome: VerdictOutcome,
  reasons: z.array(ProvisionalReason).max(256),
  snapshotVersion: z.number().int().nonnegative(),
});
export type ProvisionalVerdict = z.output<typeof ProvisionalVerdict>;

/**
 * A gate's id in a scan: an integer, as in lots, gates and every answer. Agents deployed before it was one send it
 * as a string of digits (`"7"`); that form is still accepted and read as the same integer, so they keep syncing.
 */
export const ScanGateId = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'gateId: a positive integer')
    .transform(Number)
    .meta({ description: 'deprecated: the string form sent by older gate agents' }),
]);

/** Body of `POST /api/v1/scans`. The server is idempotent on `scanId`. */
export const ScanSubmission = z.strictObject({
  scanId: z.uuid(),
  lotId: EntityId,
  gateId: ScanGateId,
  provenance: ScanProvenance,
  provisional: ProvisionalVerdict.optional(),
});
export type ScanSubmission = z.output<typeof ScanSubmission>;
