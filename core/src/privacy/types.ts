/**
 * Privacy settings of a federation (`FederationSpec.privacy`), recorded on the ledger at creation so
 * that every participant, endorsing peer and auditor applies and sees the same rules.
 */

/**
 * How real numbers become integers for secure aggregation: a value is clipped to [−range, range],
 * multiplied by its update weight and by `scale`, rounded, and stored modulo 2^32.
 */
export interface FixedPointConfig {
  /** Integer multiplier (the quantization step is 1 / scale). */
  scale: number;
  /** Clipping range for each coordinate of an update's delta from the round's starting model. */
  range: number;
}

/**
 * Distributed differential privacy at the level of one org's whole update (the protected unit is an
 * org: adding or removing one org's update changes the sum by at most `clipNorm` in L2).
 */
export interface DpConfig {
  /** Total ε the federation may spend over all its rounds. */
  epsilon: number;
  /** δ of the (ε, δ) guarantee; must be below 1 / (number of orgs). */
  delta: number;
  /** L2 bound each org clips its update's delta to (the sum's sensitivity). */
  clipNorm: number;
  /** z: the noise in the sum has standard deviation z · clipNorm per coordinate. */
  noiseMultiplier: number;
}

export interface PrivacyConfig {
  /** Pairwise-masked updates summed modulo 2^32; only sum-based strategies may run with it. */
  secureAggregation?: boolean;
  /** Fixed-point encoding of masked updates; filled with defaults at creation when secure aggregation is on. */
  fixedPoint?: FixedPointConfig;
  dp?: DpConfig;
}

/** Strategies whose result depends on the updates only through their (weighted) sum. */
export const SUM_BASED_STRATEGIES = ['fedavg', 'fedavgm', 'fedadam'] as const;

export const DEFAULT_FIXED_POINT: Readonly<FixedPointConfig> = { scale: 65536, range: 4 };

/** Largest |integer| a fixed-point sum may hold: the int32 range, so the modular sum decodes unambiguously. */
export const FIXED_POINT_LIMIT = 2 ** 31 - 1;
