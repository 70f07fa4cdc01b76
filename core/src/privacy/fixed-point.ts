import { FedLedgerError } from '../errors';
import { FIXED_POINT_LIMIT, type FixedPointConfig } from './types';

/**
 * Fixed-point codec for secure aggregation. An org's contribution is the weighted delta
 * w · (local − start), each coordinate clipped to [−range, range] first, as the integer
 * round(w · x · scale) stored modulo 2^32. Sums of such integers over the round's submitters are
 * exact modulo 2^32, and decode unambiguously as long as the true sum stays inside the int32 range;
 * {@link maxWeightFor} gives the per-org weight that guarantees that for any set of submitters.
 */

/** The largest update weight one org may use so that the sum over `participants` orgs cannot overflow. */
export function maxWeightFor(config: FixedPointConfig, participants: number): number {
  return Math.floor(FIXED_POINT_LIMIT / (config.range * config.scale * participants));
}

/** Encodes w · clip(x) as integers modulo 2^32. */
export function encodeFixedPoint(
  values: ArrayLike<number>,
  weight: number,
  config: FixedPointConfig,
): Uint32Array {
  const out = new Uint32Array(values.length);
  const factor = weight * config.scale;
  for (let j = 0; j < values.length; j++) {
    const x = values[j];
    const clipped = x > config.range ? config.range : x < -config.range ? -config.range : x;
    out[j] = Math.round(clipped * factor) >>> 0;
  }
  return out;
}

/**
 * Decodes a modular sum of fixed-point contributions whose weights add up to `totalWeight`: the
 * weighted mean of the clipped values. Refuses (INVALID_ARGUMENT) a coordinate outside what
 * `totalWeight` honest contributions can produce, which is what a wrong mask or a forged
 * contribution yields with overwhelming probability (a wrong mask makes the value uniform on 2^32).
 */
export function decodeFixedPointMean(
  sum: Uint32Array,
  totalWeight: number,
  config: FixedPointConfig,
): Float64Array {
  const bound = totalWeight * config.range * config.scale;
  const out = new Float64Array(sum.length);
  const divisor = config.scale * totalWeight;
  for (let j = 0; j < sum.length; j++) {
    const signed = sum[j] | 0;
    if (signed > bound || signed < -bound) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `the unmasked sum at index ${j} is ${signed}, outside ±${bound} that the submitted weights allow: a mask or a contribution is wrong`,
        { index: j },
      );
    }
    out[j] = signed / divisor;
  }
  return out;
}

/** Adds `b` into `a` modulo 2^32 (in place). */
export function addInto(a: Uint32Array, b: Uint32Array): void {
  for (let j = 0; j < a.length; j++) {
    a[j] = (a[j] + b[j]) >>> 0;
  }
}

/** Subtracts `b` from `a` modulo 2^32 (in place). */
export function subtractInto(a: Uint32Array, b: Uint32Array): void {
  for (let j = 0; j < a.length; j++) {
    a[j] = (a[j] - b[j]) >>> 0;
  }
}

/** Σ vectors modulo 2^32, in the order given (the result is the same in any order). */
export function sumModulo(vectors: readonly Uint32Array[], length: number): Uint32Array {
  const sum = new Uint32Array(length);
  for (const vector of vectors) addInto(sum, vector);
  return sum;
}
