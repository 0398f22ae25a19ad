import { z } from 'zod';
import { MultiLineText } from '../text/text.ts';
import { VerdictResult } from '../verdict/verdict-result.ts';

/**
 * Undoing a scan at the gate (docs/custody.md, "Undoing the last scan"): never a delete. The scan, its verdict and
 * its audit row stay; a reversal row says who undid it, when and why, and what it gave back to each certificate's
 * ledger, and the lot is judged again without the code.
 */

/** How long after a scan the gate may still undo it: long enough to notice a wrong read, short enough that no one has acted on it. */
export const scanUndoMinutes = 10;

/** Why the gate undid a scan: the worker read the wrong code, read it for the wrong truck, or read it twice. */
export const ScanReversalReason = z.enum(['wrong_code', 'wrong_lot', 'scanned_twice']);
export type ScanReversalReason = z.infer<typeof ScanReversalReason>;

/** Body of `POST /api/v1/scans/:id/reversal`. */
export const ScanReversalRequest = z.strictObject({
  reason: ScanReversalReason,
  note: MultiLineText.trim().max(500).default(''),
});
export type ScanReversalRequest = z.input<typeof ScanReversalRequest>;

/** What one certificate's ledger got back. */
export const LedgerReturn = z.object({
  certificateId: z.string(),
  quantity: z.number(),
});
export type LedgerReturn = z.infer<typeof LedgerReturn>;

/** The answer: the reversal, and the lot as it stands now. */
export const ScanReversal = z.object({
  id: z.string(),
  scanId: z.string(),
  lotId: z.string(),
  reason: ScanReversalReason,
  note: z.string(),
  /** the username of who undid it */
  reversedBy: z.string(),
  reversedAt: z.string(),
  returned: z.array(LedgerReturn),
  /** `open` while the codes left cover less than declared; `judged` (accept) when they still cover it */
  lotStatus: z.enum(['open', 'judged']),
  /** the lot judged again on the codes that remain (pending, with its coverage); null when no code remains */
  verdict: VerdictResult.nullable(),
});
export type ScanReversal = z.infer<typeof ScanReversal>;

/** The codes a reversal is refused with. */
export const ScanReversalRefusal = z.enum([
  /** no such scan at the caller's market */
  'NOT_FOUND',
  /** the lot has read another code since */
  'SCAN_NOT_LAST',
  /** the scan is older than scanUndoMinutes */
  'UNDO_WINDOW_PASSED',
  /** the scan was undone already */
  'ALREADY_REVERSED',
  /** the lot's verdict has been acted on: closed, in review, rejected (a violation), or its goods at a stall */
  'SCAN_NOT_REVERSIBLE',
]);
export type ScanReversalRefusal = z.infer<typeof ScanReversalRefusal>;
