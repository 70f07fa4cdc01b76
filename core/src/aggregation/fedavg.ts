import type { StrategyConfig } from '../types';
import { acceptedDiagnostics, configFor, sampleShares } from './diagnostics';
import { weightedMeanFloat32 } from './math';
import type { AggregationInput, AggregationResult, AggregationStrategy } from './strategy';
import { validateAggregationInput } from './validate-input';

/**
 * FedAvg: the new model is the average of the submitted models weighted by their sample counts.
 * McMahan, Moore, Ramage, Hampson, Agüera y Arcas, "Communication-Efficient Learning of Deep
 * Networks from Decentralized Data", AISTATS 2017.
 */
export class FedAvgStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;

  constructor(params: Record<string, number> = {}) {
    this.config = configFor('fedavg', params).config;
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const weights = weightedMeanFloat32(
      sorted.map((update) => update.weights),
      sorted.map((update) => update.numSamples),
    );
    return { weights, diagnostics: acceptedDiagnostics(sorted, sampleShares(sorted), weights) };
  }
}
