import { describe, expect, it } from 'vitest';
import type { CertificatePayload } from '../src/certificate/certificate.ts';
import { encodeCertificate } from '../src/certificate/code.ts';
import type { Signer } from '../src/certificate/ed25519.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import type { LotDeclaration, PaperFields, PresentedDocument } from '../src/lot/lot.ts';
import { reasonCodes } from '../src/reason/reason-code.ts';
import { reasonMessages } from '../src/reason/reason-messages.ts';
import { defaultRuleSet } from '../src/rules/default-rule-set.ts';
import type { RuleSet } from '../src/rules/rule-set.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import { explainVerdict } from '../src/verdict/explain-verdict.ts';
import { judgeLot, type LotJudgement } from '../src/verdict/judge-lot.ts';
import { VerdictResult } from '../src/verdict/verdict-result.ts';
import {
  producerPayload,
  repackPayload,
  scenarioKeys,
  scenarioSnapshot,
  vectorClock,
} from '../test-vectors/scenario.ts';

// The clock is fixed: 2026-05-17T04:00Z. The producer's 大白菜 certificate (500 kg) was issued at 22:30Z the day before.
const now = vectorClock;
const keys = scenarioKeys(nodeEd25519);
const trust = buildTrustIndex({ ...scenarioSnapshot(keys), rules: defaultRuleSet });

function code(fields: Partial<CertificatePayload> = {}, signer: Signer = keys.producer): PresentedDocument {
  const payload = signer === keys.repacker ? repackPayload(keys, fields) : producerPayload(keys, fields);
  const result = encodeCertificate({ ...payload, keyId: signer.keyId }, signer);
  if (!result.ok) throw new Error(`encode failed: ${result.error}`);
  return { type: 'code', text: result.text };
}

const cabbage: LotDeclaration = { productName: '大白菜', category: 'vegetable', quantity: 40, unit: 'kg' };

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

function judge(documents: PresentedDocument[], overrides: Partial<LotJudgement> = {}) {
  return judgeLot({
    lot: cabbage,
    documents,
    trust,
    snapshotAge: undefined,
    ledger: () => 0,
    rules: defaultRuleSet,
    now,
    ed25519: nodeEd25519,
    ...overrides,
  });
}

const codes = (verdict: ReturnType<typeof judge>) => verdict.reasons.map((reason) => reason.code);

describe('judgeLot', () => {
  it('accepts a fresh certificate that covers the lot and claims the lot quantity', () => {
    const verdict = judge([code()]);
    expect(verdict).toMatchObject({ outcome: 'accept', reasons: [], primary: null, rulesVersion: '2026.1' });
    expect(verdict.claims).toEqual([{ certificateId: '3f2a9c1b7d4e6a08', quantity: 40, unit: 'kg' }]);
    expect(verdict.documents).toEqual([
      { index: 0, reading: 'liangzheng', certificateId: '3f2a9c1b7d4e6a08', outcome: 'accept' },
    ]);
  });

  it('rejects a lot with no certificate (MISSING)', () => {
    expect(judge([])).toMatchObject({ outcome: 'reject', primary: { code: 'MISSING' } });
    const onlyQuarantine = judge([{ type: 'second_document', kind: 'animal_quarantine', number: 'A-1' }]);
    expect(codes(onlyQuarantine)).toEqual(['MISSING']);
  });

  it('sends an undecodable code of ours to review (MALFORMED)', () => {
    const verdict = judge([{ type: 'code', text: 'HTTPS://LZ.DEMO.CN/V/LZ1***' }]);
    expect(verdict).toMatchObject({ outcome: 'review', primary: { code: 'MALFORMED', documentIndex: 0 } });
  });

  it('rejects a certificate whose signature does not match (BAD_SIGNATURE)', () => {
    const forger: Signer = { ...keys.unknown, keyId: keys.producer.keyId };
    expect(judge([code({}, forger)])).toMatchObject({
      outcome: 'reject',
      primary: { code: 'BAD_SIGNATURE' },
    });
  });

  it('reviews a certificate from an issuer the snapshot does not know (UNKNOWN_ISSUER)', () => {
    expect(judge([code({}, keys.unknown)])).toMatchObject({
      outcome: 'review',
      primary: { code: 'UNKNOWN_ISSUER' },
    });
  });

  it('rejects a certificate signed with a compromised key (KEY_NOT_VALID)', () => {
    const verdict = judge([code({ issuerId: 1003 }, keys.compromised)]);
    expect(verdict).toMatchObject({ outcome: 'reject', primary: { code: 'KEY_NOT_VALID' } });
  });

  it('rejects a certificate voided after issue (REVOKED)', () => {
    const verdict = judge([code({ id: '0badc0de0badc0de' })]);
    expect(verdict).toMatchObject({ outcome: 'reject', primary: { code: 'REVOKED', documentIndex: 0 } });
    expect(verdict.documents[0]).toMatchObject({ certificateId: '0badc0de0badc0de', outcome: 'reject' });
  });

  it('rejects a vegetable certificate older than 72 hours (TOO_OLD)', () => {
    const verdict = judge([code({ issuedAt: new Date('2026-05-14T03:59:00Z') })]);
    expect(verdict).toMatchObject({ outcome: 'reject', primary: { code: 'TOO_OLD' } });
    expect(judge([code({ issuedAt: new Date('2026-05-14T04:00:00Z') })]).outcome).toBe('accept');
  });

  it('reviews a certificate dated more than ten minutes ahead of the clock (ISSUED_IN_FUTURE)', () => {
    const verdict = judge([code({ issuedAt: new Date('2026-05-17T04:11:00Z') })]);
    expect(verdict).toMatchObject({ outcome: 'review', primary: { code: 'ISSUED_IN_FUTURE' } });
    expect(judge([code({ issuedAt: new Date('2026-05-17T04:09:00Z') })]).outcome).toBe('accept');
  });

  it('rejects a lot left short of its quantity when closed (INSUFFICIENT_COVERAGE), pending until then', () => {
    // 480 kg already used elsewhere; 60 斤 = 30 kg needs 10 kg more than the 20 kg left.
    const lot: LotDeclaration = { ...cabbage, quantity: 60, unit: 'jin' };
    expect(judge([code()], { lot, ledger: () => 480 }).outcome).toBe('pending');
    const verdict = judge([code()], { lot, ledger: () => 480, closing: true });
    expect(verdict).toMatchObject({ outcome: 'reject', primary: { code: 'INSUFFICIENT_COVERAGE' } });
    expect(judge([code()], { lot, ledger: () => 470 }).claims).toEqual([
      { certificateId: '3f2a9c1b7d4e6a08', quantity: 30, unit: 'kg' },
    ]);
  });

  it('rejects a certificate already used up, even when another covers the lot', () => {
    const spent = code({ id: '1111111111111111' });
    const verdict = judge([spent, code()], { ledger: (id) => (id === '1111111111111111' ? 500 : 0) });
    expect(verdict.reasons).toEqual([
      { code: 'QUANTITY_EXCEEDED', documentIndex: 0, detail: 'used 500 kg of 500 kg' },
    ]);
  });

  it('counts a repack certificate by its own quantity, not its parents’', () => {
    const pepper: LotDeclaration = { productName: '辣椒', category: 'vegetable', quantity: 30, unit: 'kg' };
    const repack = code({}, keys.repacker);
    const parentsUsedUp = (id: string) => (id === 'a1b2c3d4e5f60718' ? 0 : 10_000);
    const verdict = judge([repack], { lot: pepper, ledger: parentsUsedUp });
    expect(verdict.outcome).toBe('accept');
    expect(verdict.claims).toEqual([{ certificateId: 'a1b2c3d4e5f60718', quantity: 30, unit: 'kg' }]);
    expect(judge([repack], { lot: { ...pepper, quantity: 38 }, closing: true }).primary?.code).toBe(
      'INSUFFICIENT_COVERAGE',
    );
  });

  it('lets several certificates together cover one lot', () => {
    // 0.9 t = 900 kg: 900 斤 (450 kg) left on the first certificate, the other 450 kg from the second.
    const lot: LotDeclaration = { ...cabbage, quantity: 0.9, unit: 't' };
    const first = code({ id: '2222222222222222', quantity: 1000, unit: 'jin' });
    const verdict = judge([first, code()], { lot, ledger: (id) => (id === '2222222222222222' ? 100 : 0) });
    expect(verdict.outcome).toBe('accept');
    expect(verdict.claims).toEqual([
      { certificateId: '2222222222222222', quantity: 900, unit: 'jin' },
      { certificateId: '3f2a9c1b7d4e6a08', quantity: 450, unit: 'kg' },
    ]);
    expect(judge([first, code()], { lot: { ...lot, quantity: 1.001 }, closing: true }).primary?.code).toBe(
      'INSUFFICIENT_COVERAGE',
    );
  });

  it('rejects a certificate for another product (PRODUCT_MISMATCH)', () => {
    const pepper: LotDeclaration = { productName: '辣椒', category: 'vegetable', quantity: 30, unit: 'kg' };
    expect(judge([code()], { lot: pepper })).toMatchObject({
      outcome: 'reject',
      primary: { code: 'PRODUCT_MISMATCH' },
    });
    const byCode = judge([code()], { lot: { ...cabbage, productName: '白菜', productCode: 110205 } });
    expect(byCode.primary?.code).toBe('PRODUCT_MISMATCH');
    expect(judge([code()], { lot: { ...cabbage, productName: '白菜' } }).outcome).toBe('accept');
  });

  it('reviews a certificate counted in heads for a lot declared by weight (UNIT_MISMATCH)', () => {
    const verdict = judge([code({ unit: 'head', quantity: 20 })]);
    expect(verdict).toMatchObject({ outcome: 'review', primary: { code: 'UNIT_MISMATCH' }, claims: [] });
  });

  it('rejects pigs without an animal quarantine certificate (SECOND_DOCUMENT_REQUIRED)', () => {
    const pigs: LotDeclaration = {
      productName: '生猪',
      category: 'livestock_poultry',
      quantity: 12,
      unit: 'head',
    };
    const certificate = code({
      productCode: 310101,
      productName: '生猪',
      category: 'livestock_poultry',
      quantity: 20,
      unit: 'head',
    });
    expect(judge([certificate], { lot: pigs })).toMatchObject({
      outcome: 'reject',
      primary: { code: 'SECOND_DOCUMENT_REQUIRED' },
    });
    const quarantine: PresentedDocument = {
      type: 'second_document',
      kind: 'animal_quarantine',
      number: 'A4303-77',
    };
    expect(judge([certificate, quarantine], { lot: pigs }).outcome).toBe('accept');
  });

  it('reviews codes of other systems, never accepts them (UNVERIFIABLE)', () => {
    const foreign = judge([{ type: 'code', text: `https://trace.example.cn/c/${'ab'.repeat(16)}` }]);
    expect(foreign).toMatchObject({
      outcome: 'review',
      primary: { code: 'UNVERIFIABLE', detail: 'foreign_url:token-c' },
    });
    const national = judge([{ type: 'code', text: '3707820012605170000142' }]);
    expect(national).toMatchObject({
      outcome: 'review',
      primary: { code: 'UNVERIFIABLE', detail: 'national_trace' },
    });
  });

  it('reviews a paper certificate (PAPER_UNVERIFIED)', () => {
    const verdict = judge([{ type: 'paper', fields: paper }]);
    expect(verdict).toMatchObject({ outcome: 'review', reasons: [{ code: 'PAPER_UNVERIFIED' }], claims: [] });
  });

  it('judges paper dates leniently: the whole issue day counts', () => {
    // Issued on 2026-05-14 China time: the latest moment is 15:59:59Z that day, under 72 h before the clock.
    expect(codes(judge([{ type: 'paper', fields: { ...paper, issuedOn: '2026-05-14' } }]))).toEqual([
      'PAPER_UNVERIFIED',
    ]);
    expect(codes(judge([{ type: 'paper', fields: { ...paper, issuedOn: '2026-05-13' } }]))).toContain(
      'TOO_OLD',
    );
    expect(codes(judge([{ type: 'paper', fields: { ...paper, issuedOn: '2026-05-17' } }]))).toEqual([
      'PAPER_UNVERIFIED',
    ]);
    expect(codes(judge([{ type: 'paper', fields: { ...paper, issuedOn: '2026-05-18' } }]))).toContain(
      'ISSUED_IN_FUTURE',
    );
  });

  it('ignores the same code read twice in one lot (DUPLICATE_READ)', () => {
    const once = code();
    const lowerCased = { type: 'code' as const, text: (once as { text: string }).text.toLowerCase() };
    const verdict = judge([once, lowerCased]);
    expect(verdict).toMatchObject({
      outcome: 'accept',
      primary: { code: 'DUPLICATE_READ', documentIndex: 1 },
    });
    expect(verdict.claims).toHaveLength(1);
    expect(verdict.documents[1]?.outcome).toBe('ignored');
  });

  it('never accepts on an agent whose snapshot is past its maximum age (SNAPSHOT_STALE)', () => {
    const snapshotAge = { receivedAt: new Date('2026-05-15T22:00:00Z'), maxAgeHours: 24 };
    expect(judge([code()], { snapshotAge })).toMatchObject({
      outcome: 'review',
      primary: { code: 'SNAPSHOT_STALE' },
    });
    const fresh = { receivedAt: new Date('2026-05-17T03:00:00Z'), maxAgeHours: 24 };
    expect(judge([code()], { snapshotAge: fresh }).outcome).toBe('accept');
    expect(judge([code()], { snapshotAge: fresh, now: new Date('2026-05-18T20:00:01Z') }).primary?.code).toBe(
      'SNAPSHOT_STALE',
    );
  });

  it('reviews a lot when a rule cannot be evaluated (RULE_ERROR)', () => {
    const rules: RuleSet = structuredClone(defaultRuleSet);
    delete rules.categoryDefaults.vegetable;
    expect(judge([code()], { rules })).toMatchObject({
      outcome: 'review',
      primary: { code: 'RULE_ERROR', documentIndex: 0 },
    });
  });

  it('requires the second documents of a certificate’s category, not only the declared one', () => {
    const declaredAsVegetable: LotDeclaration = {
      productName: '生猪',
      category: 'vegetable',
      quantity: 2,
      unit: 'head',
    };
    const pigs = code({
      productCode: 310101,
      productName: '生猪',
      category: 'livestock_poultry',
      quantity: 2,
      unit: 'head',
    });
    expect(codes(judge([pigs], { lot: declaredAsVegetable }))).toEqual([
      'PRODUCT_MISMATCH',
      'SECOND_DOCUMENT_REQUIRED',
    ]);
  });

  it('produces results that satisfy the VerdictResult message schema', () => {
    const lots = [
      [code()],
      [],
      [{ type: 'paper' as const, fields: paper }, code({ id: '0badc0de0badc0de' })],
    ];
    for (const documents of lots) expect(VerdictResult.safeParse(judge(documents)).success).toBe(true);
  });

  it('puts the most serious reason first', () => {
    const verdict = judge([{ type: 'paper', fields: paper }, code({ id: '0badc0de0badc0de' }), code()]);
    expect(codes(verdict)).toEqual(['REVOKED', 'PAPER_UNVERIFIED']);
    expect(verdict.documents.map((d) => d.outcome)).toEqual(['review', 'reject', 'accept']);
  });
});

describe('explainVerdict', () => {
  it('says the outcome and the primary reason in Chinese and English', () => {
    const verdict = judge([code({ id: '0badc0de0badc0de' })]);
    expect(explainVerdict(verdict, 'zh-CN').headline).toBe('拒绝：该合格证已作废（第 1 份单据）');
    expect(explainVerdict(verdict, 'en').headline).toBe(
      'Rejected: This certificate has been voided (document 1)',
    );
    expect(explainVerdict(judge([code()]), 'en')).toEqual({ headline: 'Accepted', lines: [] });
  });

  it('has a sentence for every reason in both languages', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      for (const reason of reasonCodes) expect(reasonMessages[language][reason]).toMatch(/\S/);
    }
  });
});
