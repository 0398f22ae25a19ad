import { sha256 } from '@noble/hashes/sha2.js';
import type { CertificatePayload } from '../src/certificate/certificate.ts';
import { createSigner, type Ed25519, type Signer } from '../src/certificate/ed25519.ts';
import { toBase64Url } from '../src/trust/public-key.ts';
import type { TrustKey, TrustSnapshot } from '../src/trust/snapshot.ts';

/**
 * The fixed world the test vectors are judged in: deterministic keys from labelled seeds and a fixed clock.
 * Never use these keys outside tests; their secret seeds are public.
 */
export const vectorClock = new Date('2026-05-17T04:00:00Z');

export function seedOf(label: string): Uint8Array {
  return sha256(new TextEncoder().encode(label));
}

/** Two seeds whose public keys share keyId 9facdc86 (found by a birthday search over these labels). */
export const collidingSeedLabels = [
  'liangzheng collision key 47221',
  'liangzheng collision key 56441',
] as const;

export interface ScenarioKeys {
  root: Signer;
  producer: Signer;
  repacker: Signer;
  expired: Signer;
  compromised: Signer;
  unknown: Signer;
  collisionDecoy: Signer;
  collisionSigner: Signer;
}

export function scenarioKeys(ed25519: Ed25519): ScenarioKeys {
  const key = (label: string) => createSigner(seedOf(label), ed25519);
  return {
    root: key('liangzheng test root key'),
    producer: key('liangzheng test key: producer 1001'),
    repacker: key('liangzheng test key: repacker 2001'),
    expired: key('liangzheng test key: producer 1001, 2024'),
    compromised: key('liangzheng test key: producer 1003'),
    unknown: key('liangzheng test key: not in any snapshot'),
    collisionDecoy: key(collidingSeedLabels[0]),
    collisionSigner: key(collidingSeedLabels[1]),
  };
}

function trustKey(signer: Signer, issuerId: number, fields: Partial<TrustKey> = {}): TrustKey {
  return {
    keyId: signer.keyId,
    issuerId,
    publicKey: toBase64Url(signer.publicKey),
    validFrom: '2025-01-01T00:00:00.000Z',
    validTo: null,
    status: 'active',
    ...fields,
  };
}

export function scenarioSnapshot(keys: ScenarioKeys): TrustSnapshot {
  return {
    format: 1,
    version: 42,
    issuedAt: '2026-05-16T20:00:00.000Z',
    expiresAt: '2026-05-18T20:00:00.000Z',
    codeHosts: ['LZ.DEMO.CN'],
    keys: [
      trustKey(keys.producer, 1001),
      trustKey(keys.repacker, 2001),
      trustKey(keys.expired, 1001, {
        validFrom: '2024-01-01T00:00:00.000Z',
        validTo: '2025-01-01T00:00:00.000Z',
        status: 'retired',
      }),
      trustKey(keys.compromised, 1003, { status: 'compromised' }),
      // Listed first so a verifier that stops at the first keyId match gets it wrong.
      trustKey(keys.collisionDecoy, 1004),
      trustKey(keys.collisionSigner, 1004),
    ],
    issuers: [
      {
        issuerId: 1001,
        name: '湘潭县绿源蔬菜专业合作社',
        subjectId: '93430321MA4L000001',
        contact: '0731-5555001',
        creditGrade: 'A',
      },
      {
        issuerId: 1003,
        name: '望城区青山养殖场',
        subjectId: '92430112MA4L000003',
        contact: '0731-5555003',
        creditGrade: 'C',
      },
      {
        issuerId: 1004,
        name: '浏阳市河鲜水产合作社',
        subjectId: '93430181MA4L000004',
        contact: '0731-5555004',
        creditGrade: 'B',
      },
      {
        issuerId: 2001,
        name: '马王堆蔬菜批发市场 李四',
        subjectId: '430104198001010011',
        contact: '13800000001',
        creditGrade: 'B',
      },
    ],
    products: [
      { code: 110101, name: '大白菜', category: 'vegetable' },
      { code: 110205, name: '辣椒', category: 'vegetable' },
      { code: 410301, name: '草鱼', category: 'aquatic' },
      { code: 310101, name: '生猪', category: 'livestock_poultry' },
    ],
    revoked: ['0badc0de0badc0de'],
    unverifiedSources: [],
    foreignPlatforms: [
      {
        name: 'hunan-hgz',
        pattern: '^https?://hgz\\.example\\.hunan\\.gov\\.cn/hgz/(?<id>HGZ\\d{8}-\\d{4})$',
      },
      { name: 'token-c', pattern: '^https?://trace\\.example\\.cn/c/(?<id>[0-9a-f]{32})$' },
    ],
    rules: { version: 'test-1', categoryDefaults: {}, rules: [] },
  };
}

export function producerPayload(
  keys: ScenarioKeys,
  fields: Partial<CertificatePayload> = {},
): CertificatePayload {
  return {
    id: '3f2a9c1b7d4e6a08',
    kind: 'producer',
    keyId: keys.producer.keyId,
    issuerId: 1001,
    productCode: 110101,
    productName: '大白菜',
    category: 'vegetable',
    quantity: 500,
    unit: 'kg',
    originRegion: '430321',
    basis: 'self_tested',
    issuedAt: new Date('2026-05-16T22:30:00Z'),
    parents: [],
    ...fields,
  };
}

export function repackPayload(
  keys: ScenarioKeys,
  fields: Partial<CertificatePayload> = {},
): CertificatePayload {
  return {
    id: 'a1b2c3d4e5f60718',
    kind: 'repack',
    keyId: keys.repacker.keyId,
    issuerId: 2001,
    productCode: 110205,
    productName: '辣椒（混装）',
    category: 'vegetable',
    quantity: 37.5,
    unit: 'kg',
    originRegion: '430104',
    basis: 'quality_control',
    issuedAt: new Date('2026-05-17T01:15:00Z'),
    parents: [
      { certificateId: '3f2a9c1b7d4e6a08', quantity: 20 },
      { certificateId: '77aa0e5c9b1d2f30', quantity: 17.5 },
    ],
    ...fields,
  };
}
