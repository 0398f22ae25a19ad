import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseBatchAnswer } from '../../src/sync/server-answer.ts';

const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
const answer = (scanId: string, outcome: string) => ({
  ok: true,
  replayed: false,
  answer: { scanId, verdict: { outcome, reasons: [] } },
});

describe('batch answers', () => {
  it('matches answers, refusals and retries to the scans sent, by position', () => {
    const result = parseBatchAnswer([a, b, c], ['lot-1', 'lot-2', 'lot-3'], {
      lots: [
        { lotId: 'lot-1', ok: true, replayed: false },
        { lotId: 'lot-2', ok: false, error: { code: 'ALREADY_EXISTS', message: '' } },
        { lotId: 'lot-3', ok: false, error: { code: 'INVALID_REFERENCE', message: '' } },
      ],
      results: [
        answer(a, 'accept'),
        { ok: false, error: { code: 'LOT_NOT_FOUND', message: '' } },
        { ok: false, error: { code: 'LEDGER_CONTENDED', message: '' } },
      ],
    });
    expect(result).toEqual({
      ok: true,
      answers: [{ scanId: a, outcome: 'accept', reasons: [] }],
      refusals: [{ scanId: b, code: 'LOT_NOT_FOUND' }],
      lots: [
        { lotId: 'lot-1', refusal: null },
        { lotId: 'lot-2', refusal: null },
        { lotId: 'lot-3', refusal: 'INVALID_REFERENCE' },
      ],
      incomplete: true,
    });
  });

  it('refuses an answer that does not line up with the batch', () => {
    const result = parseBatchAnswer([a, b], [], { lots: [], results: [answer(a, 'accept')] });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_ANSWER' } });
  });

  it('tells passing trouble from a device the server no longer takes', () => {
    const limited = { ok: false, error: { code: 'RATE_LIMITED', message: 'later' } };
    expect(parseBatchAnswer([a], [], limited)).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    const revoked = { ok: false, error: { code: 'DEVICE_REVOKED', message: 'no' } };
    expect(parseBatchAnswer([a], [], revoked)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
});
