import type { Ed25519 } from '@liangzheng/domain';

/**
 * An Ed25519 that remembers signatures it has verified as good. The signature check is the scan path's
 * dominant CPU cost and the same certificate is read again at every gate, so a verified (key, message,
 * signature) triple is worth keeping. Only successes are remembered, so a forged code costs a full verify
 * every time; the key is the full triple, so a changed byte anywhere is verified afresh. Revocation and key
 * validity are checked after the signature layer and are never cached here.
 */
export function rememberSignatures(inner: Ed25519, capacity = 50_000): Ed25519 {
  const good = new Set<string>();
  return {
    name: `${inner.name} (remembered)`,
    publicKey: (secretKey) => inner.publicKey(secretKey),
    sign: (message, secretKey) => inner.sign(message, secretKey),
    verify(signature, message, publicKey) {
      const key = `${Buffer.from(publicKey).toString('base64')}.${Buffer.from(signature).toString('base64')}.${Buffer.from(message).toString('base64')}`;
      if (good.has(key)) return true;
      const ok = inner.verify(signature, message, publicKey);
      if (ok) {
        if (good.size >= capacity) good.delete(good.values().next().value as string);
        good.add(key);
      }
      return ok;
    },
  };
}
