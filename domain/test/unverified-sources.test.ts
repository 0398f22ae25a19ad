import { describe, expect, it } from 'vitest';
import type { CertificatePayload } from '../src/certificate/certificate.ts';
import { encodeCertificate } from '../src/certificate/code.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import {
  applySnapshotDelta,
  type CatalogueProduct,
  defaultCustodyRules,
  diffSnapshots,
  explainReason,
  normaliseSnapshot,
  planTransformation,
  type SourceItem,
  TransformationRequest,
  TrustSnapshot,
  type UnverifiedInput,
} from '../src/index.ts';
import type { LotDeclaration } from '../src/lot/lot.ts';
import { defaultRuleSet } from '../src/rules/default-rule-set.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import { judgeLot } from '../src/verdict/judge-lot.ts';
import { producerPayload, scenarioKeys, scenarioSnapshot, vectorClock } from '../test-vectors/scenario.ts';

const catalogue = new Map<number, CatalogueProduct>([
  [1001, { name: '大白菜', category: 'vegetable' }],
  [1999, { name: '混装蔬菜', category: 'vegetable' }],
]);

const cabbage: SourceItem = {
  itemId: 'lot:L1:00000000000000c1',
  certificateId: '00000000000000c1',
  productCode: 1001,
  productName: '大白菜',
  category: 'vegetable',
  unit: 'kg',
  left: 100,
  held: false,
  originRegion: '430182',
  originText: '湖南省宁乡市花明楼镇',
  basis: 'self_tested',
  unverifiedSources: false,
};

/** 20 kg from the cabbage item, with `unverified` beside it, into one output of `made` kg. */
function repack(
  unverified: UnverifiedInput[],
  {
    source = cabbage,
    kind = 'repack',
    made = 24,
  }: { source?: SourceItem; kind?: 'repack' | 'resale'; made?: number } = {},
) {
  return planTransformation({
    kind,
    inputs: [{ source, quantity: 20 }],
    unverified,
    outputs: [{ quantity: made }],
    rules: defaultCustodyRules,
    products: (code) => catalogue.get(code),
  });
}

describe('unverified sources in a repack', () => {
  it('count in conservation, flag the output and lower its promise to internal quality control', () => {
    // 20 kg from inventory + 10 斤 (5 kg) on paper = 25 kg taken, 24 kg made: 1 kg loss (4 %)
    const result = repack([{ quantity: 10, unit: 'jin' }]);
    expect(result.ok && result.plan).toMatchObject({ taken: 25, made: 24, loss: 1, unverifiedSources: true });
    const output = result.ok ? result.plan.outputs[0]! : undefined;
    expect(output?.basis).toBe('quality_control');
    // the paper goods are nobody's inventory: only the verified item is drawn, and the code lists only it
    expect(output?.draws).toEqual([
      { itemId: cabbage.itemId, certificateId: cabbage.certificateId, quantity: 20 },
    ]);
    expect(output?.parents).toEqual([{ certificateId: cabbage.certificateId, quantity: 20 }]);
  });

  it('without them nothing is flagged and the basis is the sources’', () => {
    const result = repack([], { made: 18 });
    expect(result.ok && result.plan.unverifiedSources).toBe(false);
    expect(result.ok && result.plan.outputs[0]!.basis).toBe('self_tested');
  });

  it('the flag travels down: a repack of flagged goods is flagged', () => {
    const result = repack([], { source: { ...cabbage, unverifiedSources: true }, made: 18 });
    expect(result.ok && result.plan.unverifiedSources).toBe(true);
  });

  it('refuses a unit that does not convert, a quantity that is not positive, and a resale', () => {
    const code = (result: ReturnType<typeof repack>) => (result.ok ? 'ok' : result.refusal.code);
    expect(code(repack([{ quantity: 2, unit: 'box' }]))).toBe('UNIT_MISMATCH');
    expect(code(repack([{ quantity: 0, unit: 'kg' }]))).toBe('INVALID_QUANTITY');
    expect(code(repack([{ quantity: Number.NaN, unit: 'kg' }]))).toBe('INVALID_QUANTITY');
    expect(code(repack([{ quantity: 4, unit: 'kg' }], { kind: 'resale' }))).toBe('UNVERIFIED_IN_RESALE');
  });

  it('too much unverified weight still breaks the loss limit like any input', () => {
    // 20 kg + 20 kg taken, 24 kg made: 40 % loss, above the vegetable 30 %
    const result = repack([{ quantity: 20, unit: 'kg' }]);
    expect(result.ok ? 'ok' : result.refusal.code).toBe('LOSS_EXCEEDS_LIMIT');
  });

  it('the request schema needs the foreign code for a foreign-code source and refuses control characters', () => {
    const base = {
      kind: 'repack',
      inputs: [{ itemId: cabbage.itemId, quantity: 1 }],
      outputs: [{ quantity: 1 }],
    };
    const source = { kind: 'foreign_code', description: '辣椒（外省平台码）', quantity: 2, unit: 'kg' };
    expect(TransformationRequest.safeParse({ ...base, unverifiedSources: [source] }).success).toBe(false);
    const withCode = { ...source, code: 'https://hgz.example.cn/hgz/HGZ20260517-0001' };
    expect(TransformationRequest.safeParse({ ...base, unverifiedSources: [withCode] }).success).toBe(true);
    const controlled = { ...withCode, description: '辣椒\u0007' };
    expect(TransformationRequest.safeParse({ ...base, unverifiedSources: [controlled] }).success).toBe(false);
    expect(TransformationRequest.safeParse({ ...base, unverifiedSources: [] }).success).toBe(true);
  });
});

describe('a flagged certificate at the gate', () => {
  const keys = scenarioKeys(nodeEd25519);
  const snapshot = { ...scenarioSnapshot(keys), rules: defaultRuleSet };
  const lot: LotDeclaration = { productName: '大白菜', category: 'vegetable', quantity: 10, unit: 'kg' };

  function scan(fields: Partial<CertificatePayload>, flagged: string[]) {
    const payload = producerPayload(keys, fields);
    const encoded = encodeCertificate({ ...payload, keyId: keys.producer.keyId }, keys.producer);
    if (!encoded.ok) throw new Error(encoded.error);
    return judgeLot({
      lot,
      documents: [{ type: 'code', text: encoded.text }],
      trust: buildTrustIndex({ ...snapshot, unverifiedSources: flagged }),
      snapshotAge: undefined,
      ledger: () => 0,
      rules: defaultRuleSet,
      now: vectorClock,
      ed25519: nodeEd25519,
    });
  }

  it('is review with UNVERIFIED_SOURCES, still covering the lot; unflagged it is accepted', () => {
    const id = 'f1a90000000000aa';
    const flagged = scan({ id, quantity: 10, unit: 'kg' }, [id]);
    expect(flagged.outcome).toBe('review');
    expect(flagged.primary).toEqual({ code: 'UNVERIFIED_SOURCES', documentIndex: 0 });
    expect(flagged.coverage).toEqual({ covered: 10, declared: 10, unit: 'kg' });
    expect(scan({ id, quantity: 10, unit: 'kg' }, []).outcome).toBe('accept');
    expect(explainReason('UNVERIFIED_SOURCES')).toContain('未经核验的来源');
  });

  it('a revoked flagged certificate is still refused: rejection outranks review', () => {
    const id = '0badc0de0badc0de';
    const verdict = scan({ id, quantity: 10, unit: 'kg' }, [id]);
    expect(verdict.outcome).toBe('reject');
    expect(verdict.primary?.code).toBe('REVOKED');
  });
});

describe('the flag in the trust snapshot', () => {
  const keys = scenarioKeys(nodeEd25519);
  const old = normaliseSnapshot({ ...scenarioSnapshot(keys), rules: defaultRuleSet });

  it('travels in a delta like a revocation, and applying it equals the new snapshot', () => {
    const next = normaliseSnapshot({
      ...old,
      version: old.version + 1,
      unverifiedSources: ['00000000000000f2'],
    });
    const delta = diffSnapshots(old, next);
    expect(delta.unverifiedSources).toEqual(['00000000000000f2']);
    const applied = applySnapshotDelta(old, delta);
    expect(applied.ok && applied.snapshot).toEqual(next);
  });

  it('a snapshot signed before the flag existed reads as flagging nothing', () => {
    const { unverifiedSources: _left, ...before } = old;
    expect(TrustSnapshot.parse(before).unverifiedSources).toEqual([]);
  });
});
