import { type CoverageCase, loadCoverageVectors, type PresentedDocument } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import { lastOf } from '../../src/status/gate-status.ts';
import { closingVerdict, provisionalVerdict } from '../../src/verdict/provisional.ts';
import { codeText, now, trustState } from '../scenario.ts';

/**
 * The agent judges offline with no cross-market ledger (every certificate counts as unused), so the shared cases
 * that depend on use elsewhere are the server's alone; every other case must come out exactly as on the server.
 */
const offlineCases = loadCoverageVectors().filter((c) => c.certificates.every((cert) => !cert.usedElsewhere));

function play(testCase: CoverageCase) {
  const ids = testCase.certificates.map((_, i) => `c0ffee00000000${String(i).padStart(2, '0')}`);
  // What the trust data flags for review: certificates made partly from unverified sources.
  const flagged = ids.filter((_, i) => testCase.certificates[i]!.unverifiedSources);
  const trust = trustState(new Date(now.getTime() - 3_600_000), { unverifiedSources: flagged });
  const codes = testCase.certificates.map(({ quantity, unit }, i) =>
    codeText({ id: ids[i]!, quantity, unit }),
  );
  const documents: PresentedDocument[] = [];
  return testCase.steps.map((step) => {
    const context = {
      lot: { id: 'lot', declaration: testCase.lot, documents: [...documents], auto: false },
      trust,
      now,
      maxSnapshotAgeHours: 24,
      ed25519: nodeEd25519,
    };
    // A close reads nothing new: what was read so far is judged with the closing rule.
    if ('close' in step) return closingVerdict(context, testCase.lot);
    const text = codes[step.scan]!;
    documents.push({ type: 'code', text });
    return provisionalVerdict({ ...context, text });
  });
}

describe('lot coverage offline: the shared cases', () => {
  it('runs every case that does not depend on another market’s ledger', () => {
    expect(offlineCases.length).toBeGreaterThanOrEqual(6);
  });

  for (const testCase of offlineCases) {
    it(testCase.name, () => {
      play(testCase).forEach((verdict, i) => {
        expect({
          step: i,
          outcome: verdict.outcome,
          primary: verdict.reasons[0]?.code ?? null,
          covered: verdict.coverage?.covered ?? null,
        }).toEqual({ step: i, ...testCase.steps[i]!.expect });
      });
    });
  }
});

describe('the gate screen for a pending lot', () => {
  it('says how far the lot is covered and to keep scanning, in both languages', () => {
    const first = play(offlineCases[0]!)[0] as ReturnType<typeof provisionalVerdict>;
    const last = lastOf({
      seq: 1,
      scanId: 's',
      lotId: 'lot',
      read: { source: 'hid', text: 'x', at: now } as never,
      verdict: first!,
      deviceTime: now,
      serverTime: now,
      repeated: false,
      syncState: 'pending',
      serverOutcome: null,
      serverReasons: null,
      attempts: 0,
      refusal: null,
    } as never);
    expect(last?.outcome).toBe('pending');
    expect(last?.progress).toEqual({
      zh: '已核 100/300 千克，继续扫码',
      en: '100 of 300 kg covered so far; scan the next certificate',
    });
  });
});
