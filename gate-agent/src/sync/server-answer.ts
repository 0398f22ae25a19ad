import { Reason, VerdictOutcome } from '@liangzheng/domain';
import { z } from 'zod';
import type { CloseOutcome, ServerAnswer, ServerRefusal } from '../journal/journal.ts';
import type { LotOutcome, SubmitResult } from './transport.ts';

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

/**
 * Item refusals that may clear up by themselves (the database away, the ledger moving, the rate limit, a server
 * fault): the item is sent again. Every other coded refusal (LOT_NOT_FOUND, GATE_MISMATCH, SCAN_ID_CONFLICT,
 * VALIDATION_FAILED, INVALID_REFERENCE …) will be repeated for ever, so the item is settled as refused rather than
 * re-sent without end.
 */
export const retryable = new Set(['DATABASE_UNAVAILABLE', 'LEDGER_CONTENDED', 'RATE_LIMITED', 'INTERNAL']);

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
    return retryable.has(code) ? { kind: 'retry', code } : { kind: 'refusal', refusal: { scanId, code } };
  }
  return { kind: 'retry', code: 'BAD_ANSWER' };
}

/** Whole-batch refusals that clear up by themselves: the batch is sent again after a pause. */
const passingTroubles = new Set(['RATE_LIMITED', 'DATABASE_UNAVAILABLE', 'INTERNAL']);
const deviceRefusals = new Set(['UNAUTHENTICATED', 'DEVICE_UNKNOWN', 'DEVICE_REVOKED', 'FORBIDDEN']);

const LotItem = z.object({
  lotId: z.string().nullable(),
  ok: z.boolean(),
  error: z.object({ code: z.string() }).optional(),
});
const CloseItem = z.object({
  lotId: z.string().nullable(),
  ok: z.boolean(),
  outcome: z.string().nullable().optional(),
  error: z.object({ code: z.string() }).optional(),
});
const BatchAnswer = z.object({
  lots: z.array(LotItem),
  results: z.array(z.unknown()),
  closes: z.array(CloseItem).default([]),
});

/**
 * Reads the answer to a batch (socket ack or HTTP body) sent with these scans and lots: every item is matched
 * by position, and an answer that does not line up with what was sent is refused as a whole.
 */
export function parseBatchAnswer(
  scanIds: readonly string[],
  lotIds: readonly string[],
  body: unknown,
  closeIds: readonly string[] = [],
): SubmitResult {
  const batch = BatchAnswer.safeParse(body);
  if (!batch.success) {
    const error = CodedError.safeParse(body);
    if (!error.success) return { ok: false, error: { code: 'BAD_ANSWER', detail: 'not a batch answer' } };
    const code = 'code' in error.data ? error.data.code : error.data.error.code;
    if (deviceRefusals.has(code)) return { ok: false, error: { code: 'UNAUTHORIZED', detail: code } };
    return {
      ok: false,
      error: { code: passingTroubles.has(code) ? 'UNREACHABLE' : 'REFUSED', detail: code },
    };
  }
  const { lots, results, closes } = batch.data;
  if (
    lots.length !== lotIds.length ||
    results.length !== scanIds.length ||
    closes.length !== closeIds.length
  ) {
    return { ok: false, error: { code: 'BAD_ANSWER', detail: 'the answer does not match the batch' } };
  }
  // A lot id taken at another market is the server's to sort out; its scans come back LOT_NOT_FOUND.
  const lotOutcomes: LotOutcome[] = lots.map((lot, i) => ({
    lotId: lotIds[i]!,
    refusal: lot.ok || lot.error?.code === 'ALREADY_EXISTS' ? null : (lot.error?.code ?? 'REFUSED'),
  }));
  const answers: ServerAnswer[] = [];
  const refusals: ServerRefusal[] = [];
  let retry: string | null = null;
  results.forEach((item, i) => {
    const parsed = parseAnswer(scanIds[i]!, item);
    if (parsed.kind === 'answer') answers.push(parsed.answer);
    else if (parsed.kind === 'refusal') refusals.push(parsed.refusal);
    else retry ??= parsed.code;
  });
  // A close the server could not do now (the database away) stays pending; anything else is settled for good.
  const closeOutcomes: CloseOutcome[] = closes.flatMap((close, i): CloseOutcome[] => {
    const lotId = closeIds[i]!;
    if (close.ok) return [{ lotId, outcome: close.outcome ?? null, refusal: null }];
    const code = close.error?.code ?? 'REFUSED';
    if (retryable.has(code)) {
      retry ??= code;
      return [];
    }
    return [{ lotId, outcome: null, refusal: code }];
  });
  return {
    ok: true,
    answers,
    refusals,
    lots: lotOutcomes,
    ...(closeIds.length > 0 ? { closes: closeOutcomes } : {}),
    incomplete: retry !== null,
  };
}
