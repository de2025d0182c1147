/** mulberry32: a small seeded PRNG, so every random choice of a suite is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of a suite: `RELIABILITY_SEED` when set (to replay a failing run), else a fixed default. */
export function suiteSeed(fallback: number): number {
  const fromEnv = process.env.RELIABILITY_SEED;
  if (fromEnv === undefined || fromEnv === '') return fallback;
  const seed = Number(fromEnv);
  if (!Number.isInteger(seed)) throw new TypeError(`RELIABILITY_SEED must be an integer, got "${fromEnv}"`);
  return seed;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
