import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCode } from '../src/certificate/code.ts';
import { nobleEd25519 } from '../src/certificate/ed25519.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import { vectorMismatch } from '../src/certificate/test-vector.ts';
import { loadTestVectors, testVectorsDirectory } from '../src/certificate/test-vectors.ts';
import { fromBase64Url } from '../src/trust/public-key.ts';
import { openSignedSnapshot } from '../src/trust/signed-snapshot.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';

const file = loadTestVectors();
const rootKey = fromBase64Url(file.rootPublicKey)!;
const clock = new Date(file.clock);

function indexFor(name: string) {
  const opened = openSignedSnapshot(file.snapshots[name], [rootKey], nodeEd25519, clock);
  if (!opened.ok) throw new Error(`vector snapshot ${name} does not open: ${opened.failure.detail}`);
  return buildTrustIndex(opened.snapshot);
}

describe('layered test vectors', () => {
  it('cover every layer failing and every kind', () => {
    const failedLayers = new Set(
      file.vectors.flatMap((v) =>
        v.expected.kind === 'liangzheng' && v.expected.failure ? [v.expected.failure.layer] : [],
      ),
    );
    expect([...failedLayers].sort()).toEqual(
      ['keyLookup', 'keyValidity', 'prefix', 'revocation', 'signature', 'structure', 'transport'].sort(),
    );
    expect(new Set(file.vectors.map((v) => v.expected.kind))).toEqual(
      new Set(['liangzheng', 'foreign_url', 'national_trace', 'serial', 'unknown']),
    );
  });

  for (const ed25519 of [nodeEd25519, nobleEd25519]) {
    describe(ed25519.name, () => {
      for (const vector of file.vectors) {
        it(`${vector.name}: ${vector.description}`, () => {
          const reading = readCode(vector.text, indexFor(vector.snapshot), ed25519);
          expect(vectorMismatch(vector.expected, reading)).toBeUndefined();
        });
      }
    });
  }

  it('have a QR rendering for every vector', () => {
    for (const vector of file.vectors)
      expect(existsSync(new URL(vector.png, testVectorsDirectory))).toBe(true);
  });
});
