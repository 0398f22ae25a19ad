import { Reason, VerdictOutcome } from '@liangzheng/domain';
import { z } from 'zod';
import type { ServerAnswer, ServerRefusal } from '../journal/journal.ts';

/** The part of the server's ScanAnswer the agent keeps; the rest is the server's business. */
const ScanAnswer = z.object({
  scanId: z.uuid(),
  verdict: z.object({ outcome: VerdictOutcome, reasons: z.array(Reason) }),
});

/** A coded error body: `{ code, message }`, possibly wrapped as `{ error: { code } }`. */
const CodedError = z.union([
  z.object({ code: z.string(), message: z.string().optional() }),
  z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) }),
]);

/** Refusals that will never change on a re-send; everything else is retried. */
export const permanentRefusals = new Set([
  'LOT_NOT_FOUND',
  'GATE_MISMATCH',
  'LOT_CLOSED',
  'VALIDATION_FAILED',
]);

export type ParsedAnswer =
  | { kind: 'answer'; answer: ServerAnswer }
  | { kind: 'refusal'; refusal: ServerRefusal }
  | { kind: 'retry'; code: string };

/** Reads one reply (HTTP body or socket ack) for `scanId`. */
export function parseAnswer(scanId: string, body: unknown): ParsedAnswer {
  const unwrapped =
    body && typeof body === 'object' && 'answer' in body ? (body as { answer: unknown }).answer : body;
  const answer = ScanAnswer.safeParse(unwrapped);
  if (answer.success) {
    const { outcome, reasons } = answer.data.verdict;
    return { kind: 'answer', answer: { scanId, outcome, reasons } };
  }
  const error = CodedError.safeParse(body);
  if (error.success) {
    const code = 'code' in error.data ? error.data.code : error.data.error.code;
    return permanentRefusals.has(code)
      ? { kind: 'refusal', refusal: { scanId, code } }
      : { kind: 'retry', code };
  }
  return { kind: 'retry', code: 'BAD_ANSWER' };
}
