import { mulberry32 } from '@fedledger/core';

/**
 * A small seeded pseudo-random source so that every generated dataset, split, shuffle and initial
 * weight is reproducible from a seed. tfjs initializers and `Math.random` are deliberately not used:
 * two gateways given the same seed must produce the same numbers.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Gamma(shape, 1) (Marsaglia–Tsang; shape < 1 via the boost U^(1/shape)). */
  gamma(shape: number): number;
}

/** Creates a mulberry32 generator; any 32-bit integer seed is accepted (other numbers are truncated). */
export function createSeededRandom(seed: number): SeededRandom {
  let spareNormal: number | undefined;
  const next = mulberry32(seed);

  const normal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  const gamma = (shape: number): number => {
    if (!(shape > 0) || !Number.isFinite(shape)) {
      throw new RangeError(`gamma shape must be a positive finite number, got ${shape}`);
    }
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(1 - next(), 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  };

  return {
    next,
    int: (maxExclusive: number): number => Math.floor(next() * maxExclusive),
    normal,
    gamma,
  };
}

/** A Fisher–Yates permutation of 0..n-1 drawn from `random`. */
export function seededPermutation(n: number, random: SeededRandom): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}
