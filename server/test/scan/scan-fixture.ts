import { randomBytes, randomUUID } from 'node:crypto';
import type { Category, Unit } from '@liangzheng/domain';
import { createSigner, encodeCertificate } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { tokenHash } from '../../src/identity/token.ts';
import type { TestApp } from '../helper.ts';

export interface TestCertificate {
  id: string;
  text: string;
}

/**
 * Issues a real signed certificate with the issuer's platform-held key and stores it, as the certificate routes
 * do, so scans are judged against exactly what production would hold.
 */
export async function issueTestCertificate(
  t: TestApp,
  options: {
    issuerId: number;
    productCode?: number;
    productName?: string;
    category?: Category;
    quantity?: number;
    unit?: Unit;
    issuedAt?: Date;
  },
): Promise<TestCertificate> {
  const key = await t.prisma.issuerKey.findFirstOrThrow({
    where: { issuerId: options.issuerId, status: 'active' },
  });
  const issuer = await t.prisma.issuer.findUniqueOrThrow({ where: { id: options.issuerId } });
  const signer = createSigner(t.keyring.issuerSecretKey(key.privateKeySealed), nodeEd25519);
  const issuedAt = new Date(Math.floor((options.issuedAt ?? t.clock.now()).getTime() / 1000) * 1000);
  const payload = {
    id: randomBytes(8).toString('hex'),
    kind: 'producer' as const,
    keyId: key.keyId,
    issuerId: options.issuerId,
    productCode: options.productCode ?? 1001,
    productName: options.productName ?? '大白菜',
    category: options.category ?? 'vegetable',
    quantity: options.quantity ?? 500,
    unit: options.unit ?? 'kg',
    originRegion: issuer.regionCode,
    basis: 'quality_control' as const,
    issuedAt,
    parents: [],
  };
  const encoded = encodeCertificate(payload, signer, { host: t.config.codeHost });
  if (!encoded.ok) throw new Error(`encode failed: ${encoded.error}`);
  await t.prisma.certificate.create({
    data: {
      id: payload.id,
      kind: 'producer',
      issuerId: payload.issuerId,
      keyId: payload.keyId,
      code: encoded.text,
      productCode: payload.productCode,
      productName: payload.productName,
      category: payload.category,
      quantity: payload.quantity,
      unit: payload.unit,
      originRegion: payload.originRegion,
      issuerName: issuer.name,
      contact: issuer.contact,
      basis: payload.basis,
      issuedAt,
    },
  });
  return { id: payload.id, text: encoded.text };
}

export function scanBody(
  lotId: string,
  gateId: number,
  rawText: string,
  extra: {
    scanId?: string;
    provisional?: {
      outcome: 'accept' | 'review' | 'reject';
      reasons: { code: string }[];
      snapshotVersion: number;
    };
  } = {},
) {
  return {
    scanId: extra.scanId ?? randomUUID(),
    lotId,
    gateId,
    provenance: {
      source: 'hid',
      rawText,
      symbology: 'qr',
      keystrokeTimings: [],
      deviceTime: '2026-03-15T06:00:00.000Z',
      decoder: 'test',
    },
    ...(extra.provisional ? { provisional: extra.provisional } : {}),
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Registers an open lot at the demo device's gate and returns its id. */
export async function openLot(
  t: TestApp,
  token: string,
  declaration: {
    productName?: string;
    productCode?: number;
    category?: Category;
    quantity?: number;
    unit?: string;
  } = {},
): Promise<string> {
  const res = await t.inject(
    {
      method: 'POST',
      url: '/api/v1/lots',
      payload: {
        plate: '湘A·12345',
        supplier: '宁乡绿源',
        declaration: {
          productName: declaration.productName ?? '大白菜',
          productCode: declaration.productCode ?? 1001,
          category: declaration.category ?? 'vegetable',
          quantity: declaration.quantity ?? 100,
          unit: declaration.unit ?? 'kg',
        },
      },
    },
    bearer(token),
  );
  if (res.statusCode !== 201) throw new Error(`lot: ${res.statusCode} ${res.body}`);
  return res.json().lot.id;
}

/** A second gate device on another gate of the same market, to scan from several gates at once. */
export async function addGateDevice(t: TestApp, gateId: number, name: string): Promise<string> {
  const token = `lz-test-${name}-${randomBytes(8).toString('hex')}`;
  await t.prisma.device.create({ data: { id: `test-${name}`, gateId, name, tokenHash: tokenHash(token) } });
  return token;
}
