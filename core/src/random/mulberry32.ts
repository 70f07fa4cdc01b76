/**
 * mulberry32: a tiny 32-bit generator of uniform numbers in [0, 1). Not cryptographic; used where
 * every party must draw the same sequence from a shared seed (synthetic data, Monte-Carlo Shapley
 * permutations). Any 32-bit integer seed is accepted (other numbers are truncated).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
