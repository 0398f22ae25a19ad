import { hash, verify } from '@node-rs/argon2';

// 2 is Algorithm.Argon2id; the const enum can't be imported under verbatimModuleSyntax.
const ARGON2ID = 2;

export const hashPassword = (password: string): Promise<string> => hash(password, { algorithm: ARGON2ID });

// Verifying against this when the user is unknown keeps login time the same for known and unknown names.
const decoy = hash('decoy-password-never-used', { algorithm: ARGON2ID });

export async function checkPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await decoy, password);
    return false;
  }
  return verify(passwordHash, password);
}
