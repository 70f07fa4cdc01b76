import type { StrategyConfig } from '../types';
import { configFor } from './diagnostics';
import { coordinateMedian, toFloat32 } from './math';
import type {
  AggregationInput,
  AggregationResult,
  AggregationStrategy,
  ClientUpdate,
  UpdateDiagnostic,
} from './strategy';
import { paramOrDefault } from './strategy-params';
import { validateAggregationInput } from './validate-input';

/**
 * Centered clipping: start from the coordinate-wise median of the submitted models and move it, a
 * fixed number of times, by the weighted mean of every update's offset from it, each offset clipped
 * to radius τ: v ← v + Σᵢ wᵢ · (xᵢ − v) · min(1, τ / ‖xᵢ − v‖). An update can pull the model at most
 * wᵢ·τ per iteration however far it lies, so a scaled or reversed update moves the result no more
 * than an honest one of its weight; updates within τ of the centre are averaged as they are, so
 * skewed but honest data still count (unlike the median, which only serves as the start).
 * τ = `radius` × the median distance of the updates from the start, so there is no constant to tune.
 * Weights are the reported sample counts capped at their median: a count is an unverified claim, so
 * no org weighs more than the median org, while orgs with fewer rows still weigh less.
 * Karimireddy, He, Jaggi, "Learning from History for Byzantine Robust Optimization", ICML 2021
 * (there the centre is the previous aggregate momentum and τ a constant).
 */
export class CenteredClippingStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #iterations: number;
  readonly #radius: number;

  constructor(params: Record<string, number> = {}) {
    const resolved = configFor('centered-clipping', params);
    this.config = resolved.config;
    this.#iterations = paramOrDefault('centered-clipping', resolved.params, 'iterations');
    this.#radius = paramOrDefault('centered-clipping', resolved.params, 'radius');
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const vectors = sorted.map((u) => u.weights);
    const shares = cappedShares(sorted);
    const centre = coordinateMedian(vectors);
    const tau = this.#radius * median(vectors.map((x) => distance(x, centre)));
    let factors = vectors.map(() => 1);
    for (let iteration = 0; iteration < this.#iterations && tau > 0; iteration++) {
      factors = vectors.map((x) => {
        const d = distance(x, centre);
        return d > tau ? tau / d : 1;
      });
      const step = new Float64Array(centre.length);
      vectors.forEach((x, i) => {
        const scale = shares[i] * factors[i];
        for (let j = 0; j < step.length; j++) {
          step[j] = step[j] + scale * (x[j] - centre[j]);
        }
      });
      for (let j = 0; j < centre.length; j++) {
        centre[j] = centre[j] + step[j];
      }
    }
    const weights = toFloat32(centre);
    const diagnostics = sorted.map((update, i): UpdateDiagnostic => {
      const factor = factors[i];
      return {
        id: update.id,
        accepted: true,
        weight: shares[i],
        score: distance(update.weights, centre),
        ...(factor < 1
          ? { reason: `offset clipped to ${tau} (× ${factor}) in the last iteration` }
          : {}),
      };
    });
    return { weights, diagnostics };
  }
}

/** Sample shares with every count capped at the median count (midpoint for an even number). */
export function cappedShares(updates: readonly ClientUpdate[]): number[] {
  const cap = median(updates.map((u) => u.numSamples));
  const capped = updates.map((u) => (u.numSamples < cap ? u.numSamples : cap));
  let total = 0;
  for (const c of capped) total += c;
  return capped.map((c) => c / total);
}

function median(values: readonly number[]): number {
  const ordered = Float64Array.from(values).sort();
  const mid = ordered.length >> 1;
  return ordered.length % 2 === 1 ? ordered[mid] : (ordered[mid - 1] + ordered[mid]) / 2;
}

function distance(x: Float32Array, centre: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < x.length; j++) {
    const d = x[j] - centre[j];
    sum += d * d;
  }
  return Math.sqrt(sum);
}
