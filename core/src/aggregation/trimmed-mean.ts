import type { StrategyConfig } from '../types';
import { acceptedDiagnostics, configFor, equalShares } from './diagnostics';
import { toFloat32, trimmedMean } from './math';
import type { AggregationInput, AggregationResult, AggregationStrategy } from './strategy';
import { paramOrDefault } from './strategy-params';
import { validateAggregationInput } from './validate-input';

/**
 * Coordinate-wise β-trimmed mean: per coordinate, the ⌊β·n⌋ smallest and ⌊β·n⌋ largest values are
 * dropped and the rest averaged (unweighted, so inflated sample counts buy nothing). β ∈ [0, 0.5)
 * (param `beta`, default 0.1) always leaves at least one value. Every update is reported accepted
 * with an equal nominal share 1/n, since which values are trimmed differs per coordinate.
 * Yin, Chen, Ramchandran, Bartlett, "Byzantine-Robust Distributed Learning: Towards Optimal
 * Statistical Rates", ICML 2018.
 */
export class TrimmedMeanStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #beta: number;

  constructor(params: Record<string, number> = {}) {
    const resolved = configFor('trimmed-mean', params);
    this.config = resolved.config;
    this.#beta = paramOrDefault('trimmed-mean', resolved.params, 'beta');
  }

  /** How many values are trimmed from each end for n updates. */
  trimCount(n: number): number {
    return Math.floor(this.#beta * n);
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const trim = this.trimCount(sorted.length);
    const weights = toFloat32(
      trimmedMean(
        sorted.map((update) => update.weights),
        trim,
      ),
    );
    return {
      weights,
      diagnostics: acceptedDiagnostics(sorted, equalShares(sorted.length), weights),
    };
  }
}
