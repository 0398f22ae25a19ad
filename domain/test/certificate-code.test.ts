import { describe, expect, it } from 'vitest';
import { decodeBase40, encodeBase40 } from '../src/certificate/base40.ts';
import { readCertificateBytes, writeCertificateBody } from '../src/certificate/certificate-bytes.ts';
import { encodeCertificate, maxBase40Length, readCode } from '../src/certificate/code.ts';
import { createSigner, keyIdOf, nobleEd25519 } from '../src/certificate/ed25519.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import {
  producerPayload,
  repackPayload,
  scenarioKeys,
  scenarioSnapshot,
  seedOf,
} from '../test-vectors/scenario.ts';

const keys = scenarioKeys(nodeEd25519);
const index = buildTrustIndex(scenarioSnapshot(keys));

function encoded(payload = producerPayload(keys), signer = keys.producer): string {
  const result = encodeCertificate(payload, signer);
  if (!result.ok) throw new Error(`encode failed: ${result.error}`);
  return result.text;
}

describe('base40', () => {
  it('round-trips leading zero bytes and the empty string', () => {
    for (const bytes of [new Uint8Array(), Uint8Array.from([0, 0, 1]), Uint8Array.from([255, 0, 255])]) {
      const decoded = decodeBase40(encodeBase40(bytes), 600);
      expect(decoded).toEqual({ ok: true, bytes });
    }
  });

  it('refuses a leading zero digit, since it would be a second spelling', () => {
    expect(decodeBase40(`0${encodeBase40(Uint8Array.from([7]))}`, 600)).toEqual({
      ok: false,
      error: 'non_canonical',
    });
  });

  it('refuses characters outside the alphabet and over-long input', () => {
    expect(decodeBase40('AB/C', 600)).toEqual({ ok: false, error: 'bad_character' });
    expect(decodeBase40('A'.repeat(601), 600)).toEqual({ ok: false, error: 'too_long' });
  });
});

describe('certificate bytes', () => {
  it('re-encodes a decoded payload to the same bytes', () => {
    const written = writeCertificateBody(repackPayload(keys));
    if (!written.ok) throw new Error(written.error);
    const withSignature = new Uint8Array([...written.body, ...new Uint8Array(64)]);
    const read = readCertificateBytes(withSignature);
    if (!read.ok) throw new Error(read.error);
    expect(read.value.payload).toEqual(repackPayload(keys));
    expect(read.value.body).toEqual(written.body);
  });

  it('keeps decimal quantities exact', () => {
    for (const quantity of [0.1, 1.15, 37.5, 1234567.125, 0.0000001]) {
      const written = writeCertificateBody(producerPayload(keys, { quantity }));
      if (!written.ok) throw new Error(written.error);
      const read = readCertificateBytes(new Uint8Array([...written.body, ...new Uint8Array(64)]));
      expect(read.ok && read.value.payload.quantity).toBe(quantity);
    }
  });

  it('refuses quantities it cannot carry exactly', () => {
    expect(writeCertificateBody(producerPayload(keys, { quantity: 1 / 3 }))).toEqual({
      ok: false,
      error: 'unrepresentable_quantity',
    });
  });

  it('fits the largest payload format 1 allows within the BASE40 length bound', () => {
    const largest = repackPayload(keys, {
      issuerId: Number.MAX_SAFE_INTEGER,
      productCode: Number.MAX_SAFE_INTEGER,
      productName: '龘'.repeat(40),
      quantity: 2 ** 49 / 10 ** 7,
      parents: Array.from({ length: 8 }, () => ({
        certificateId: 'ffffffffffffffff',
        quantity: 2 ** 49 + 1,
      })),
    });
    const text = encoded(largest, keys.repacker);
    expect(text.length - 'HTTPS://LZ.DEMO.CN/V/LZ1'.length).toBeLessThanOrEqual(maxBase40Length);
    expect(readCode(text, index, nodeEd25519)).toMatchObject({ payload: largest });
  });

  it('refuses a producer certificate with parents', () => {
    const payload = producerPayload(keys, { parents: [{ certificateId: '0011223344556677', quantity: 1 }] });
    expect(writeCertificateBody(payload)).toEqual({ ok: false, error: 'parents_kind_mismatch' });
  });
});

describe('readCode', () => {
  it('accepts a valid producer certificate with a Chinese product name', () => {
    const reading = readCode(encoded(), index, nodeEd25519);
    expect(reading).toMatchObject({ kind: 'liangzheng', normalised: false, payload: producerPayload(keys) });
    expect(reading).not.toHaveProperty('failure');
  });

  it('agrees between node:crypto and @noble', () => {
    const text = encoded(repackPayload(keys), keys.repacker);
    expect(readCode(text, index, nobleEd25519)).toEqual(readCode(text, index, nodeEd25519));
    expect(nobleEd25519.publicKey(seedOf('x'))).toEqual(nodeEd25519.publicKey(seedOf('x')));
  });

  it('tolerates lower-casing and CR/LF, and says it normalised', () => {
    const reading = readCode(`  ${encoded().toLowerCase()}\r\n`, index, nodeEd25519);
    expect(reading).toMatchObject({ kind: 'liangzheng', normalised: true });
    expect(reading).not.toHaveProperty('failure');
  });

  it('refuses a key that signs for another issuer', () => {
    const payload = producerPayload(keys, { issuerId: 2001 });
    const reading = readCode(encoded(payload), index, nodeEd25519);
    expect(reading).toMatchObject({ failure: { layer: 'keyLookup', detail: 'key_issuer_mismatch' } });
  });

  it('refuses to encode with a key other than the payload names', () => {
    expect(encodeCertificate(producerPayload(keys), keys.repacker)).toEqual({
      ok: false,
      error: 'key_mismatch',
    });
  });

  it('derives keyId from the public key', () => {
    const signer = createSigner(seedOf('k'), nobleEd25519);
    expect(signer.keyId).toBe(keyIdOf(signer.publicKey));
    expect(signer.keyId).toMatch(/^[0-9a-f]{8}$/);
  });
});
