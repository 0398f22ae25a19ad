import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSigner, keyIdOf } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import { ephemeralKeyring, loadKeyring } from '../../src/keyring/keyring.ts';

describe('keyring', () => {
  it('creates root key and KEK files with mode 0600 on first start and reloads the same keys', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lz-keyring-'));
    const first = loadKeyring(dir, {});
    for (const file of ['root-key.pem', 'kek.key']) {
      expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    }
    const issuerKey = first.createIssuerKey();
    const again = loadKeyring(dir, {});
    expect(again.rootPublicKey).toBe(first.rootPublicKey);
    // the KEK survived the restart: the sealed issuer key opens with the reloaded keyring
    const signer = createSigner(again.issuerSecretKey(issuerKey.privateKeySealed), nodeEd25519);
    expect(Buffer.from(signer.publicKey).toString('base64url')).toBe(issuerKey.publicKey);
    expect(signer.keyId).toBe(issuerKey.keyId);
  });

  it('seals issuer keys so that another keyring cannot open them', () => {
    const a = ephemeralKeyring();
    const b = ephemeralKeyring();
    const key = a.createIssuerKey();
    expect(key.privateKeySealed).not.toContain(key.publicKey);
    expect(() => b.issuerSecretKey(key.privateKeySealed)).toThrow();
  });

  it('derives keyId from the public key as the domain does', () => {
    const key = ephemeralKeyring().createIssuerKey();
    expect(key.keyId).toBe(keyIdOf(Buffer.from(key.publicKey, 'base64url')));
  });

  it('signs with the root key verifiably', () => {
    const ring = ephemeralKeyring();
    const message = new TextEncoder().encode('snapshot v1');
    const signature = ring.signWithRoot(message);
    expect(nodeEd25519.verify(signature, message, Buffer.from(ring.rootPublicKey, 'base64url'))).toBe(true);
    expect(
      nodeEd25519.verify(
        signature,
        new TextEncoder().encode('snapshot v2'),
        Buffer.from(ring.rootPublicKey, 'base64url'),
      ),
    ).toBe(false);
  });
});
