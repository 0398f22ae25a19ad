import { z } from 'zod';
import { VerdictOutcome, VerdictResult } from '../verdict/verdict-result.ts';

/** The answer to a scan: stored as JSON and replayed byte-identical on a re-send of the same scanId. */
export const ScanAnswer = z.object({
  scanId: z.string(),
  lotId: z.string(),
  receivedAt: z.string(),
  verdict: VerdictResult,
  /** the primary reason in words, zh-CN */
  message: z.string(),
  /** the agent judged offline and the server's verdict differs: stored and flagged, never dropped */
  conflict: z.boolean(),
  provisionalOutcome: VerdictOutcome.nullable(),
  violationId: z.string().nullable(),
});
export type ScanAnswer = z.infer<typeof ScanAnswer>;
