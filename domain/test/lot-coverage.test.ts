import { describe, expect, it } from 'vitest';
import type { CertificatePayload } from '../src/certificate/certificate.ts';
import { encodeCertificate } from '../src/certificate/code.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import type { LotDeclaration, PaperFields, PresentedDocument } from '../src/lot/lot.ts';
import { defaultRuleSet } from '../src/rules/default-rule-set.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import { type CoverageCase, loadCoverageVectors } from '../src/verdict/coverage-vectors.ts';
import { explainVerdict } from '../src/verdict/explain-verdict.ts';
import { judgeLot, type LotJudgement } from '../src/verdict/judge-lot.ts';
import type { VerdictResult } from '../src/verdict/verdict-result.ts';
import { producerPayload, scenarioKeys, scenarioSnapshot, vectorClock } from '../test-vectors/scenario.ts';

const keys = scenarioKeys(nodeEd25519);
const trust = buildTrustIndex({ ...scenarioSnapshot(keys), rules: defaultRuleSet });

function code(fields: Partial<CertificatePayload>): PresentedDocument {
  const payload = producerPayload(keys, fields);
  const result = encodeCertificate({ ...payload, keyId: keys.producer.keyId }, keys.producer);
  if (!result.ok) throw new Error(`encode failed: ${result.error}`);
  return { type: 'code', text: result.text };
}

const certificateId = (index: number) => `c0ffee00000000${String(index).padStart(2, '0')}`;

function judge(lot: LotDeclaration, documents: PresentedDocument[], extra: Partial<LotJudgement> = {}) {
  return judgeLot({
    lot,
    documents,
    trust,
    snapshotAge: undefined,
    ledger: () => 0,
    rules: defaultRuleSet,
    now: vectorClock,
    ed25519: nodeEd25519,
    ...extra,
  });
}

/** Plays one shared case through the core: each step judges the lot with every document read so far. */
function play(testCase: CoverageCase): VerdictResult[] {
  const codes = testCase.certificates.map((certificate, i) =>
    code({ id: certificateId(i), quantity: certificate.quantity, unit: certificate.unit }),
  );
  const usedElsewhere = new Map(
    testCase.certificates.map((certificate, i) => [certificateId(i), certificate.usedElsewhere ?? 0]),
  );
  // What the trust data flags for review: certificates made partly from unverified sources.
  const flagged = testCase.certificates.flatMap((certificate, i) =>
    certificate.unverifiedSources ? [certificateId(i)] : [],
  );
  const caseTrust = buildTrustIndex({ ...trust.snapshot, unverifiedSources: flagged });
  const documents: PresentedDocument[] = [];
  return testCase.steps.map((step) => {
    if ('scan' in step) documents.push(codes[step.scan]!);
    return judge(testCase.lot, [...documents], {
      trust: caseTrust,
      ledger: (id) => usedElsewhere.get(id) ?? 0,
      closing: 'close' in step,
    });
  });
}

describe('lot coverage: the shared cases', () => {
  for (const testCase of loadCoverageVectors()) {
    it(testCase.name, () => {
      const verdicts = play(testCase);
      verdicts.forEach((verdict, i) => {
        const expected = testCase.steps[i]!.expect;
        expect({
          step: i,
          outcome: verdict.outcome,
          primary: verdict.primary?.code ?? null,
          covered: verdict.coverage?.covered ?? null,
        }).toEqual({ step: i, ...expected });
      });
    });
  }
});

describe('lot coverage: rules', () => {
  const truck: LotDeclaration = { productName: '大白菜', category: 'vegetable', quantity: 300, unit: 'kg' };

  it('tells a pending lot how far it is covered, in Chinese units, and to keep scanning', () => {
    const verdict = judge(truck, [code({ id: certificateId(0), quantity: 100, unit: 'kg' })]);
    expect(verdict.coverage).toEqual({ covered: 100, declared: 300, unit: 'kg' });
    expect(explainVerdict(verdict).headline).toBe('待续扫：已核 100/300 千克，继续扫码');
    expect(explainVerdict(verdict, 'en').headline).toBe(
      'Keep scanning: 100 of 300 kg covered so far; scan the next certificate',
    );
  });

  it('claims what a pending lot covers, so the ledger can hold it for this lot', () => {
    const verdict = judge(truck, [code({ id: certificateId(0), quantity: 100, unit: 'kg' })]);
    expect(verdict.claims).toEqual([{ certificateId: certificateId(0), quantity: 100, unit: 'kg' }]);
  });

  it('rejects a forged certificate at once, even while the lot is short', () => {
    const genuine = code({ id: certificateId(0), quantity: 100, unit: 'kg' });
    if (genuine.type !== 'code') throw new Error('a code');
    const last = genuine.text.at(-1) === 'A' ? 'B' : 'A';
    const forged: PresentedDocument = { type: 'code', text: `${genuine.text.slice(0, -1)}${last}` };
    const verdict = judge(truck, [forged]);
    expect(verdict.outcome).toBe('reject');
    expect(verdict.primary?.code).toBe('BAD_SIGNATURE');
  });

  it('judges paper at once: a paper certificate short of the lot is INSUFFICIENT_COVERAGE when closed', () => {
    const paper: PaperFields = {
      productName: '大白菜',
      quantity: 100,
      unit: 'kg',
      origin: '湖南省湘潭县',
      issuerName: '湘潭县某农户',
      contact: '13800000002',
      issuedOn: '2026-05-16',
      basis: 'quality_control',
    };
    const verdict = judge(truck, [{ type: 'paper', fields: paper }], { closing: true });
    expect(verdict.outcome).toBe('reject');
    expect(verdict.reasons.map((reason) => reason.code)).toEqual([
      'INSUFFICIENT_COVERAGE',
      'PAPER_UNVERIFIED',
    ]);
  });

  it('keeps a lot covered only in another kind of unit in review, not pending', () => {
    const verdict = judge(truck, [code({ id: certificateId(0), quantity: 20, unit: 'head' })]);
    expect(verdict.outcome).toBe('review');
    expect(verdict.primary?.code).toBe('UNIT_MISMATCH');
    expect(verdict.coverage).toBeNull();
  });
});
