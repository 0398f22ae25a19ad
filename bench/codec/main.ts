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

const raw = measure('raw node:crypto verify (pre-imported key)', () =>
  verify(null, body, keyObject, signature),
);
const results = [
  measure('encodeCertificate (node:crypto sign)', () => encodeCertificate(payload, producer)),
  measure('decode only (base40 + layout + zod)', () => {
    const bytes = decodeBase40(text.slice(24), 600);
    return bytes.ok && readCertificateBytes(bytes.bytes);
  }),
  raw,
  measure('readCode, node:crypto (full: decode + verify + checks)', () => readCode(text, index, nodeEd25519)),
  measure('readCode, malformed text (rejected at transport)', () => readCode(malformed, index, nodeEd25519)),
  measure('raw @noble/ed25519 verify', () => nobleEd25519.verify(signature, body, producer.publicKey)),
  measure('readCode, @noble/ed25519', () => readCode(text, index, nobleEd25519)),
];

console.log(
  `code: ${text.length} chars; trust index with ${snapshot.revoked.length.toLocaleString('en')} revocations`,
);
console.log('| measurement | ops/s | vs raw node:crypto verify |');
console.log('| --- | ---: | ---: |');
for (const { name, opsPerSecond } of results) {
  const ratio = ((opsPerSecond / raw.opsPerSecond) * 100).toFixed(0);
  console.log(`| ${name} | ${Math.round(opsPerSecond).toLocaleString('en')} | ${ratio}% |`);
}
const full = results[3]!;
const ratio = full.opsPerSecond / raw.opsPerSecond;
console.log(
  `readCode / raw verify = ${(ratio * 100).toFixed(0)}% (target ≥ 50%): ${ratio >= 0.5 ? 'MET' : 'MISSED'}`,
);
