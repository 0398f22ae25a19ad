import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyIdOf } from '@liangzheng/domain';

/** A fresh Ed25519 issuer key: the public half for the trust snapshot, the private half sealed for storage. */
export interface IssuerKeyMaterial {
  keyId: string;
  publicKey: string;
  privateKeySealed: string;
}

/**
 * The platform's secrets: the root key that signs trust snapshots, and the key-encryption key (KEK) that seals
 * issuer private keys at rest. Nothing else in the server sees raw key bytes.
 */
export interface Keyring {
  /** base64url raw Ed25519 public key agents pin */
  readonly rootPublicKey: string;
  signWithRoot(data: Uint8Array): Uint8Array;
  createIssuerKey(): IssuerKeyMaterial;
  /** the issuer's 32-byte Ed25519 seed (the domain's secret-key form), unsealed and cached per sealed value */
  issuerSecretKey(privateKeySealed: string): Uint8Array;
}

const rawPublic = (key: KeyObject): Buffer =>
  Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');

// AES-256-GCM: iv(12) | tag(16) | ciphertext, base64url; the AAD pins the purpose so a sealed blob can't be reused.
const AAD = Buffer.from('liangzheng:issuer-key:v1');

function seal(kek: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv).setAAD(AAD);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
}

function unseal(kek: Buffer, sealed: string): Buffer {
  const buf = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', kek, buf.subarray(0, 12)).setAAD(AAD);
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]);
}

export function createKeyring(rootPrivate: KeyObject, kek: Buffer): Keyring {
  if (kek.length !== 32) throw new Error('KEK must be 32 bytes');
  const rootPublicKey = rawPublic(createPublicKey(rootPrivate)).toString('base64url');
  const unsealed = new Map<string, Uint8Array>();
  return {
    rootPublicKey,
    signWithRoot: (data) => sign(null, data, rootPrivate),
    createIssuerKey() {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const raw = rawPublic(publicKey);
      const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
      return { keyId: keyIdOf(raw), publicKey: raw.toString('base64url'), privateKeySealed: seal(kek, seed) };
    },
    issuerSecretKey(privateKeySealed) {
      let key = unsealed.get(privateKeySealed);
      if (!key) {
        key = new Uint8Array(unseal(kek, privateKeySealed));
        unsealed.set(privateKeySealed, key);
      }
      return key;
    },
  };
}

/** An in-memory keyring with fresh random keys (tests, benchmarks). */
export function ephemeralKeyring(): Keyring {
  return createKeyring(generateKeyPairSync('ed25519').privateKey, randomBytes(32));
}

function parseRootKey(text: string): KeyObject {
  return text.includes('BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
}

/**
 * Loads the keyring from env (LIANGZHENG_ROOT_KEY as PKCS#8 PEM or base64 DER, LIANGZHENG_KEK as base64) or from
 * DATA_DIR/root-key.pem and DATA_DIR/kek.key, creating those files (mode 0600) on first start.
 */
export function loadKeyring(dataDir: string, env: { rootKey?: string; kek?: string }): Keyring {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const rootFile = path.join(dataDir, 'root-key.pem');
  const kekFile = path.join(dataDir, 'kek.key');
  let root: KeyObject;
  if (env.rootKey) root = parseRootKey(env.rootKey);
  else if (existsSync(rootFile)) root = parseRootKey(readFileSync(rootFile, 'utf8'));
  else {
    root = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(rootFile, root.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  let kek: Buffer;
  if (env.kek) kek = Buffer.from(env.kek, 'base64');
  else if (existsSync(kekFile)) kek = Buffer.from(readFileSync(kekFile, 'utf8').trim(), 'base64');
  else {
    kek = randomBytes(32);
    writeFileSync(kekFile, `${kek.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return createKeyring(root, kek);
}
