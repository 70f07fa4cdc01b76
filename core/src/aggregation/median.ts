import type { StrategyConfig } from '../types';
import { acceptedDiagnostics, configFor, equalShares } from './diagnostics';
import { coordinateMedian, toFloat32 } from './math';
import type { AggregationInput, AggregationResult, AggregationStrategy } from './strategy';
import { validateAggregationInput } from './validate-input';

/**
 * Coordinate-wise median of the submitted models (midpoint of the two middle values for an even
 * count). Sample counts are ignored on purpose: a Byzantine org could inflate them. Every update is
 * reported accepted with an equal nominal share 1/n, and its L2 distance to the result as score.
 * Yin, Chen, Ramchandran, Bartlett, "Byzantine-Robust Distributed Learning: Towards Optimal
 * Statistical Rates", ICML 2018.
 */
export class MedianStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;

  constructor(params: Record<string, number> = {}) {
    this.config = configFor('median', params).config;
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const weights = toFloat32(coordinateMedian(sorted.map((update) => update.weights)));
    return {
      weights,
      diagnostics: acceptedDiagnostics(sorted, equalShares(sorted.length), weights),
    };
  }
}
