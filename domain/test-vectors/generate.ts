/**
 * Writes vectors.json and png/<name>.png. Deterministic: fixed seeds, fixed clock, deterministic Ed25519.
 * Run: npx tsx domain/test-vectors/generate.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { readCode } from '../src/certificate/code.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import { observedReading, vectorMismatch } from '../src/certificate/test-vector.ts';
import { toBase64Url } from '../src/trust/public-key.ts';
import { signSnapshot } from '../src/trust/signed-snapshot.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import { scenarioKeys, scenarioSnapshot, vectorClock } from './scenario.ts';
import { vectorCases } from './vector-cases.ts';

const directory = new URL('./', import.meta.url);
const keys = scenarioKeys(nodeEd25519);
const snapshot = scenarioSnapshot(keys);
const index = buildTrustIndex(snapshot);
const cases = vectorCases(keys);

const mismatches = cases.flatMap((vector) => {
  const problem = vectorMismatch(vector.expected, readCode(vector.text, index, nodeEd25519));
  return problem ? [`${vector.name}: ${problem}`] : [];
});
if (mismatches.length > 0) {
  console.error(mismatches.join('\n'));
  process.exit(1);
}

rmSync(new URL('png/', directory), { recursive: true, force: true });
mkdirSync(new URL('png/', directory));
for (const vector of cases) {
  await QRCode.toFile(new URL(`png/${vector.name}.png`, directory).pathname, vector.text, {
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 6,
  });
}

const document = {
  format: 1,
  description: 'Layered test vectors for Liangzheng certificate codes (docs/certificate-code.md)',
  clock: vectorClock.toISOString(),
  rootPublicKey: toBase64Url(keys.root.publicKey),
  snapshots: { shared: signSnapshot(snapshot, keys.root) },
  vectors: cases.map((vector) => ({
    name: vector.name,
    description: vector.description,
    text: vector.text,
    snapshot: 'shared',
    png: `png/${vector.name}.png`,
    // Written from the reading only after it matched the hand-written expectation above; adds every layer.
    expected: observedReading(readCode(vector.text, index, nodeEd25519)),
  })),
};
writeFileSync(new URL('vectors.json', directory), `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${cases.length} vectors and PNGs to ${directory.pathname}`);
