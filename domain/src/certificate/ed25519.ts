import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * The signature primitive, behind an interface so the pure core runs on Node (node:crypto, fast) and in the
 * browser (@noble/ed25519). Secret keys are 32-byte RFC 8032 seeds; public keys are 32 raw bytes.
 * `verify` never throws: malformed keys or signatures verify as false.
 */
export interface Ed25519 {
  readonly name: string;
  publicKey(secretKey: Uint8Array): Uint8Array;
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** A secret key bound to its primitive: what issuers and the platform root sign with. */
export interface Signer {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

// The synchronous noble API needs a SHA-512; WebCrypto is async and absent outside secure contexts (stack.md).
ed.hashes.sha512 = sha512;

export const nobleEd25519: Ed25519 = {
  name: '@noble/ed25519',
  publicKey: (secretKey) => ed.getPublicKey(secretKey),
  sign: (message, secretKey) => ed.sign(message, secretKey),
  verify(signature, message, publicKey) {
    try {
      // RFC 8032 strict semantics, to agree with OpenSSL behind node:crypto on edge-case signatures.
      return ed.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};

/** keyId = first 4 bytes of SHA-256 of the raw public key, as 8 lower-case hex digits. Ids may collide. */
export function keyIdOf(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey).subarray(0, 4));
}

export function createSigner(secretKey: Uint8Array, ed25519: Ed25519): Signer {
  const publicKey = ed25519.publicKey(secretKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    sign: (message) => ed25519.sign(message, secretKey),
  };
}
