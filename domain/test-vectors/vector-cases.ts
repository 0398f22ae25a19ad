import { decodeBase40, encodeBase40 } from '../src/certificate/base40.ts';
import type { CertificatePayload } from '../src/certificate/certificate.ts';
import { readCertificateBytes } from '../src/certificate/certificate-bytes.ts';
import { encodeCertificate } from '../src/certificate/code.ts';
import type { CodeFailure, CodeReading } from '../src/certificate/code-reading.ts';
import type { Signer } from '../src/certificate/ed25519.ts';
import { producerPayload, repackPayload, type ScenarioKeys } from './scenario.ts';

/**
 * The test-vector cases with their expected outcomes written by hand, so generation fails if the codec
 * disagrees with the specification rather than recording whatever it did.
 */
export interface VectorCase {
  name: string;
  description: string;
  text: string;
  expected:
    | {
        kind: 'liangzheng';
        normalised: boolean;
        failure: (Omit<CodeFailure, 'reason'> & Pick<CodeFailure, 'reason'>) | null;
        payload: CertificatePayload | null;
      }
    | Exclude<CodeReading, { kind: 'liangzheng' }>;
}

function sign(payload: CertificatePayload, signer: Signer): string {
  const result = encodeCertificate(payload, signer);
  if (!result.ok) throw new Error(`cannot encode vector payload: ${result.error}`);
  return result.text;
}

const prefix = 'HTTPS://LZ.DEMO.CN/V/LZ1';

/** Rewrites the payload bytes behind a code and re-encodes them, to reach the layers past transport. */
function withBytes(text: string, edit: (bytes: Uint8Array) => Uint8Array): string {
  const decoded = decodeBase40(text.slice(prefix.length), 600);
  if (!decoded.ok) throw new Error('vector base code does not decode');
  return prefix + encodeBase40(edit(Uint8Array.from(decoded.bytes)));
}

function bodyLength(text: string): number {
  const decoded = decodeBase40(text.slice(prefix.length), 600);
  const read = decoded.ok ? readCertificateBytes(decoded.bytes) : undefined;
  if (!read?.ok) throw new Error('vector base code does not parse');
  return read.value.body.length;
}

function flipBit(at: number, bit: number) {
  return (bytes: Uint8Array) => {
    bytes[at]! ^= 1 << bit;
    return bytes;
  };
}

export function vectorCases(keys: ScenarioKeys): VectorCase[] {
  const producer = producerPayload(keys);
  const repack = repackPayload(keys);
  const valid = sign(producer, keys.producer);
  const fail = (
    layer: CodeFailure['layer'],
    reason: CodeFailure['reason'],
    detail: string,
    payload: CertificatePayload | null = null,
  ) => ({
    kind: 'liangzheng' as const,
    normalised: false,
    failure: { layer, reason, detail },
    payload,
  });
  const pass = (payload: CertificatePayload, normalised = false) => ({
    kind: 'liangzheng' as const,
    normalised,
    failure: null,
    payload,
  });
  const unknownKeyPayload = producerPayload(keys, { id: '5e5e5e5e5e5e5e5e', keyId: keys.unknown.keyId });
  const collisionPayload = producerPayload(keys, {
    id: 'c011c011c011c011',
    keyId: keys.collisionSigner.keyId,
    issuerId: 1004,
    productCode: 410301,
    productName: '草鱼',
    category: 'aquatic',
    quantity: 120.5,
    originRegion: '430181',
  });
  const expiredPayload = producerPayload(keys, { id: 'e0e0e0e0e0e0e0e0', keyId: keys.expired.keyId });
  const compromisedPayload = producerPayload(keys, {
    id: 'bad0bad0bad0bad0',
    keyId: keys.compromised.keyId,
    issuerId: 1003,
    productCode: 310101,
    productName: '生猪',
    category: 'livestock_poultry',
    quantity: 12,
    unit: 'head',
    originRegion: '430112',
  });
  const revokedPayload = producerPayload(keys, { id: '0badc0de0badc0de' });
  const body = bodyLength(valid);

  return [
    {
      name: 'valid_producer',
      description: 'Producer certificate, Chinese product name',
      text: valid,
      expected: pass(producer),
    },
    {
      name: 'valid_repack',
      description: 'Repack certificate with two parents and a decimal quantity',
      text: sign(repack, keys.repacker),
      expected: pass(repack),
    },
    {
      name: 'lower_cased',
      description: 'Caps Lock / layout mismatch lower-cased the text; the scanner added CR LF',
      text: `${valid.toLowerCase()}\r\n`,
      expected: pass(producer, true),
    },
    {
      name: 'wrong_prefix_version',
      description: 'Version prefix LZ2, not known to format 1',
      text: valid.replace('/V/LZ1', '/V/LZ2'),
      expected: fail('prefix', 'MALFORMED', 'unsupported_version'),
    },
    {
      name: 'wrong_prefix_host',
      description: 'Our code shape on a host the snapshot does not list',
      text: valid.replace('LZ.DEMO.CN', 'LZ.EVIL.CN'),
      expected: fail('prefix', 'MALFORMED', 'unknown_host'),
    },
    {
      name: 'bad_base40_character',
      description: '% is QR alphanumeric but not BASE40',
      text: `${valid.slice(0, 60)}%${valid.slice(61)}`,
      expected: fail('transport', 'MALFORMED', 'bad_character'),
    },
    {
      name: 'truncated_text',
      description: 'The last 20 characters were lost; the sentinel byte no longer decodes',
      text: valid.slice(0, -20),
      expected: fail('transport', 'MALFORMED', 'bad_sentinel'),
    },
    {
      name: 'truncated_bytes',
      description: 'The payload lost its last signature byte',
      text: withBytes(valid, (bytes) => bytes.subarray(0, -1)),
      expected: fail('structure', 'MALFORMED', 'truncated'),
    },
    {
      name: 'trailing_garbage_text',
      description: 'A scanner appended a space and digits',
      text: `${valid} 0001`,
      expected: fail('transport', 'MALFORMED', 'bad_character'),
    },
    {
      name: 'trailing_bytes',
      description: 'Two bytes appended after the signature',
      text: withBytes(valid, (bytes) => Uint8Array.from([...bytes, 0, 7])),
      expected: fail('structure', 'MALFORMED', 'trailing_bytes'),
    },
    {
      name: 'bit_flipped_payload',
      description: 'One bit of the certificate id flipped',
      text: withBytes(valid, flipBit(6, 0)),
      expected: fail('signature', 'BAD_SIGNATURE', 'signature_mismatch', {
        ...producer,
        id: '3e2a9c1b7d4e6a08',
      }),
    },
    {
      name: 'bit_flipped_signature',
      description: 'One bit of the signature flipped',
      text: withBytes(valid, flipBit(body + 10, 3)),
      expected: fail('signature', 'BAD_SIGNATURE', 'signature_mismatch', producer),
    },
    {
      name: 'unknown_key_id',
      description: 'Signed by a key the snapshot does not list',
      text: sign(unknownKeyPayload, keys.unknown),
      expected: fail('keyLookup', 'UNKNOWN_ISSUER', 'unknown_key_id', unknownKeyPayload),
    },
    {
      name: 'key_id_collision',
      description: 'Two keys share keyId 9facdc86; the first listed is not the signer',
      text: sign(collisionPayload, keys.collisionSigner),
      expected: pass(collisionPayload),
    },
    {
      name: 'expired_key',
      description: 'Signed with a key whose validity ended in 2025',
      text: sign(expiredPayload, keys.expired),
      expected: fail('keyValidity', 'KEY_NOT_VALID', 'after_key_valid_to', expiredPayload),
    },
    {
      name: 'compromised_key',
      description: 'Signed with a key marked compromised',
      text: sign(compromisedPayload, keys.compromised),
      expected: fail('keyValidity', 'KEY_NOT_VALID', 'key_compromised', compromisedPayload),
    },
    {
      name: 'revoked',
      description: 'A certificate the issuer voided',
      text: sign(revokedPayload, keys.producer),
      expected: fail('revocation', 'REVOKED', 'revoked', revokedPayload),
    },
    {
      name: 'foreign_url',
      description: 'A provincial platform lookup URL',
      text: 'https://hgz.example.hunan.gov.cn/hgz/HGZ20260517-0001',
      expected: { kind: 'foreign_url', platform: 'hunan-hgz', id: 'HGZ20260517-0001' },
    },
    {
      name: 'national_trace',
      description: 'A 22-digit national traceability number',
      text: '3707820012605170000142',
      expected: {
        kind: 'national_trace',
        code: '3707820012605170000142',
        regionCode: '370782',
        date: '2026-05-17',
        serial: '0000142',
      },
    },
    {
      name: 'serial',
      description: 'A bare certificate serial',
      text: 'HGZ20260517-0001',
      expected: { kind: 'serial', serial: 'HGZ20260517-0001' },
    },
    {
      name: 'unknown_text',
      description: 'Text that is no certificate at all',
      text: 'hello, world',
      expected: { kind: 'unknown' },
    },
  ];
}
