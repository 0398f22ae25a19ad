import { type CertificatePayload, createSigner, type Signer } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';

/** Realistic certificates for sizing and timing: a producer key, a repacker key, and payload makers. */
const seed = (label: string) =>
  new Uint8Array(32).map((_, i) => (label.charCodeAt(i % label.length) * (i + 1)) & 0xff);
export const producer: Signer = createSigner(seed('bench producer'), nodeEd25519);
export const repacker: Signer = createSigner(seed('bench repacker'), nodeEd25519);

/** Eight typical product names; sizes use the first n characters. */
const names = '精品红菜薹大白菜';
const parentIds = ['3f2a9c1b7d4e6a08', '77aa0e5c9b1d2f30', 'c0ffee00c0ffee01', '1234567890abcdef'];

export function producerCertificate(nameLength: number): CertificatePayload {
  return {
    id: '9d3c5e7f1a2b4c6d',
    kind: 'producer',
    keyId: producer.keyId,
    issuerId: 430_321,
    productCode: 110_101,
    productName: names.slice(0, nameLength),
    category: 'vegetable',
    quantity: 1250.5,
    unit: 'kg',
    originRegion: '430321',
    basis: 'commissioned_test',
    issuedAt: new Date('2026-05-17T03:12:45Z'),
    parents: [],
  };
}

export function repackCertificate(nameLength: number, parentCount: number): CertificatePayload {
  return {
    ...producerCertificate(nameLength),
    id: 'ab12cd34ef567890',
    kind: 'repack',
    keyId: repacker.keyId,
    issuerId: 1_204_117,
    quantity: 86.25,
    parents: Array.from({ length: parentCount }, (_, i) => ({
      certificateId: `${parentIds[i % 4]!.slice(0, 14)}${i.toString(16).padStart(2, '0')}`,
      quantity: 10.75 + i,
    })),
  };
}
