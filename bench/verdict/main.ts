/**
 * Verdict throughput: judgeLot on typical lots, against readCode alone (the signature check it is bounded by),
 * measured in the same run. Target: a one-code judgeLot keeps ≥ 70% of readCode's throughput, i.e. rules,
 * coverage and ordering cost less than half a signature check.
 * Run: npx tsx bench/verdict/main.ts (from the repository root)
 */
import {
  buildTrustIndex,
  type CertificatePayload,
  createSigner,
  defaultRuleSet,
  encodeCertificate,
  evaluateLogic,
  judgeLot,
  type LotDeclaration,
  type LotJudgement,
  type PresentedDocument,
  readCode,
  type TrustSnapshot,
  toBase64Url,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';

const budgetMs = 1500;

function measure(name: string, run: () => unknown): { name: string; opsPerSecond: number } {
  for (let i = 0; i < 200; i++) run();
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 50; i++) run();
    count += 50;
    elapsed = performance.now() - started;
  }
  return { name, opsPerSecond: (count * 1000) / elapsed };
}

const now = new Date('2026-05-17T04:00:00Z');
const producer = createSigner(new Uint8Array(32).fill(7), nodeEd25519);

function certificate(id: string, quantity: number): CertificatePayload {
  return {
    id,
    kind: 'producer',
    keyId: producer.keyId,
    issuerId: 1001,
    productCode: 110101,
    productName: '大白菜',
    category: 'vegetable',
    quantity,
    unit: 'kg',
    originRegion: '430321',
    basis: 'self_tested',
    issuedAt: new Date('2026-05-16T22:30:00Z'),
    parents: [],
  };
}

function code(payload: CertificatePayload): PresentedDocument {
  const encoded = encodeCertificate(payload, producer);
  if (!encoded.ok) throw new Error(encoded.error);
  return { type: 'code', text: encoded.text };
}

const snapshot: TrustSnapshot = {
  format: 1,
  version: 1,
  issuedAt: '2026-05-17T00:00:00.000Z',
  expiresAt: '2026-05-18T00:00:00.000Z',
  codeHosts: ['LZ.DEMO.CN'],
  keys: [
    {
      keyId: producer.keyId,
      issuerId: 1001,
      publicKey: toBase64Url(producer.publicKey),
      validFrom: '2025-01-01T00:00:00.000Z',
      validTo: null,
      status: 'active',
    },
  ],
  issuers: [{ issuerId: 1001, name: '合作社', subjectId: 'x', contact: 'y', creditGrade: 'A' }],
  products: [{ code: 110101, name: '大白菜', category: 'vegetable' }],
  revoked: Array.from({ length: 100_000 }, (_, i) => i.toString(16).padStart(16, '0')),
  unverifiedSources: [],
  foreignPlatforms: [],
  rules: defaultRuleSet,
};
const trust = buildTrustIndex(snapshot);

const lot: LotDeclaration = { productName: '大白菜', category: 'vegetable', quantity: 900, unit: 'jin' };
const one = [code(certificate('9d3c5e7f1a2b4c6d', 500))];
const four = ['9d3c5e7f1a2b4c61', '9d3c5e7f1a2b4c62', '9d3c5e7f1a2b4c63', '9d3c5e7f1a2b4c64'].map((id) =>
  code(certificate(id, 130)),
);
const paper: PresentedDocument[] = [
  {
    type: 'paper',
    fields: {
      productName: '大白菜',
      quantity: 500,
      unit: 'kg',
      origin: '湖南省湘潭县',
      issuerName: '农户',
      contact: '13800000000',
      issuedOn: '2026-05-16',
      basis: 'quality_control',
    },
  },
];

const base: Omit<LotJudgement, 'documents'> = {
  lot,
  trust,
  snapshotAge: { receivedAt: new Date('2026-05-17T02:00:00Z'), maxAgeHours: 24 },
  ledger: () => 12.5,
  rules: defaultRuleSet,
  now,
  ed25519: nodeEd25519,
};
for (const documents of [one, four]) {
  const verdict = judgeLot({ ...base, documents });
  if (verdict.outcome !== 'accept')
    throw new Error(`bench lot not accepted: ${JSON.stringify(verdict.reasons)}`);
}
const tooOld = defaultRuleSet.rules[0]!.logic;
const ruleData = {
  now: now.toISOString(),
  certificate: { issuedLatest: '2026-05-16T22:30:00.000Z' },
  category: { maxAgeHours: 72 },
};

const text = (one[0] as { text: string }).text;
const peer = measure('readCode alone (peer: decode + verify + revocation)', () =>
  readCode(text, trust, nodeEd25519),
);
const results = [
  peer,
  measure('judgeLot, one code', () => judgeLot({ ...base, documents: one })),
  measure('judgeLot, four codes sharing the lot', () => judgeLot({ ...base, documents: four })),
  measure('judgeLot, one paper certificate (no crypto)', () => judgeLot({ ...base, documents: paper })),
  measure('evaluateLogic, TOO_OLD rule', () => evaluateLogic(tooOld, ruleData)),
];

console.log(
  `trust index with ${snapshot.revoked.length.toLocaleString('en')} revocations; rules ${defaultRuleSet.version}`,
);
console.log('| measurement | ops/s | µs/op | vs readCode |');
console.log('| --- | ---: | ---: | ---: |');
for (const { name, opsPerSecond } of results) {
  const ratio = ((opsPerSecond / peer.opsPerSecond) * 100).toFixed(0);
  console.log(
    `| ${name} | ${Math.round(opsPerSecond).toLocaleString('en')} | ${(1e6 / opsPerSecond).toFixed(1)} | ${ratio}% |`,
  );
}
const ratio = results[1]!.opsPerSecond / peer.opsPerSecond;
console.log(
  `judgeLot(one code) / readCode = ${(ratio * 100).toFixed(0)}% (target ≥ 70%): ${ratio >= 0.7 ? 'MET' : 'MISSED'}`,
);
