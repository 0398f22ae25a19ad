/**
 * Codec throughput: encode, full readCode (decode + verify + checks), and the raw Ed25519 verify it is bounded by,
 * measured in the same run. Target: readCode ≥ 50% of raw node:crypto verify.
 * Run: npm run codec -w bench
 */
import { createPublicKey, verify } from 'node:crypto';
import {
  buildTrustIndex,
  decodeBase40,
  encodeCertificate,
  nobleEd25519,
  readCertificateBytes,
  readCode,
  type TrustSnapshot,
  toBase64Url,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { producer, producerCertificate } from './certificates.ts';

const budgetMs = 1500;
const rounds = 5;

interface Measurement {
  name: string;
  run: () => unknown;
  count: number;
  elapsed: number;
}

const measurement = (name: string, run: () => unknown): Measurement => ({ name, run, count: 0, elapsed: 0 });

/** Round-robin in slices so load from other processes on this shared machine hits every figure alike. */
function measureAll(list: Measurement[]): void {
  for (const m of list) for (let i = 0; i < 100; i++) m.run();
  for (let round = 0; round < rounds; round++) {
    for (const m of list) {
      const started = performance.now();
      let elapsed = 0;
      while (elapsed < budgetMs / rounds) {
        for (let i = 0; i < 20; i++) m.run();
        m.count += 20;
        elapsed = performance.now() - started;
      }
      m.elapsed += elapsed;
    }
  }
}

const opsPerSecond = (m: Measurement) => (m.count * 1000) / m.elapsed;

const payload = producerCertificate(4);
const encoded = encodeCertificate(payload, producer);
if (!encoded.ok) throw new Error(encoded.error);
const text = encoded.text;

const snapshot: TrustSnapshot = {
  format: 1,
  version: 1,
  issuedAt: '2026-05-17T00:00:00.000Z',
  expiresAt: '2026-05-18T00:00:00.000Z',
  codeHosts: ['LZ.DEMO.CN'],
  keys: [
    {
      keyId: producer.keyId,
      issuerId: payload.issuerId,
      publicKey: toBase64Url(producer.publicKey),
      validFrom: '2025-01-01T00:00:00.000Z',
      validTo: null,
      status: 'active',
    },
  ],
  issuers: [{ issuerId: payload.issuerId, name: '合作社', subjectId: 'x', contact: 'y', creditGrade: 'A' }],
  products: [],
  revoked: Array.from({ length: 100_000 }, (_, i) => i.toString(16).padStart(16, '0')),
  unverifiedSources: [],
  foreignPlatforms: [],
  rules: { version: 'bench', categoryDefaults: {}, rules: [] },
};
const index = buildTrustIndex(snapshot);
const check = readCode(text, index, nodeEd25519);
if (check.kind !== 'liangzheng' || check.failure)
  throw new Error(`bench code does not verify: ${JSON.stringify(check)}`);

const decoded = decodeBase40(text.slice('HTTPS://LZ.DEMO.CN/V/LZ1'.length), 600);
const parsed = decoded.ok ? readCertificateBytes(decoded.bytes) : undefined;
if (!parsed?.ok) throw new Error('bench code does not parse');
const { body, signature } = parsed.value;
const keyObject = createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), producer.publicKey]),
  format: 'der',
  type: 'spki',
});
const malformed = `${text.slice(0, -1)}%`;

const raw = measurement('raw node:crypto verify (pre-imported key)', () =>
  verify(null, body, keyObject, signature),
);
const full = measurement('readCode, node:crypto (full: decode + verify + checks)', () =>
  readCode(text, index, nodeEd25519),
);
const results = [
  measurement('encodeCertificate (node:crypto sign)', () => encodeCertificate(payload, producer)),
  measurement('decode only (base40 + layout + zod)', () => {
    const bytes = decodeBase40(text.slice(24), 600);
    return bytes.ok && readCertificateBytes(bytes.bytes);
  }),
  raw,
  full,
  measurement('readCode, malformed text (rejected at transport)', () =>
    readCode(malformed, index, nodeEd25519),
  ),
  measurement('raw @noble/ed25519 verify', () => nobleEd25519.verify(signature, body, producer.publicKey)),
  measurement('readCode, @noble/ed25519', () => readCode(text, index, nobleEd25519)),
];
measureAll(results);

console.log(
  `code: ${text.length} chars; trust index with ${snapshot.revoked.length.toLocaleString('en')} revocations`,
);
console.log('| measurement | ops/s | vs raw node:crypto verify |');
console.log('| --- | ---: | ---: |');
for (const m of results) {
  const ratio = ((opsPerSecond(m) / opsPerSecond(raw)) * 100).toFixed(0);
  console.log(`| ${m.name} | ${Math.round(opsPerSecond(m)).toLocaleString('en')} | ${ratio}% |`);
}
const ratio = opsPerSecond(full) / opsPerSecond(raw);
console.log(
  `readCode / raw verify = ${(ratio * 100).toFixed(0)}% (target ≥ 50%): ${ratio >= 0.5 ? 'MET' : 'MISSED'}`,
);
