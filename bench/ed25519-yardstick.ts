import { generateKeyPairSync, sign, verify } from 'node:crypto';

/** Raw Ed25519 verifies per second on one core: the yardstick for how fast this machine is today. */
export function ed25519VerifiesPerSecond(): number {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = Buffer.from('liangzheng yardstick');
  const signature = sign(null, message, privateKey);
  let count = 0;
  const until = performance.now() + 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) verify(null, message, publicKey, signature);
    count += 100;
  }
  return count;
}
