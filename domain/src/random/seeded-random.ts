/**
 * Reproducible randomness for draws anyone must be able to re-run (sampling suggestions, 双随机): the same seed
 * text gives the same numbers in every JavaScript engine.
 */

/** A 32-bit seed from text (FNV-1a), so a seed anyone can read gives the same draw anywhere. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, fast and the same in every JavaScript engine. Numbers in [0, 1). */
export function seededRandom(seed: string): () => number {
  let state = seedOf(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
