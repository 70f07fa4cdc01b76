import type { StrategyConfig } from '../types';
import { assertFinite } from '../weights/validate';
import { acceptedDiagnostics, configFor, sampleShares } from './diagnostics';
import { toFloat32, weightedMean } from './math';
import type { AggregationInput, AggregationResult, AggregationStrategy } from './strategy';
import { paramOrDefault } from './strategy-params';
import { readStateVector, validateAggregationInput } from './validate-input';

/** Server state key of FedAvgM's momentum buffer. */
export const FEDAVGM_MOMENTUM_STATE = 'momentum';

/**
 * FedAvgM: FedAvg whose server applies SGD with momentum to the pseudo-gradient
 * g = previous − weightedMean(updates): v ← β·v + g, w ← previous − η·v.
 * Hsu, Qi, Brown, "Measuring the Effects of Non-Identical Data Distribution for Federated Visual
 * Classification", arXiv:1909.06335, 2019.
 * Params: `serverLearningRate` η (default 1), `momentum` β (default 0.9); state: `momentum` (v),
 * zero in the first round. With η = 1 and β = 0 it is FedAvg.
 */
export class FedAvgMStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #learningRate: number;
  readonly #momentum: number;

  constructor(params: Record<string, number> = {}) {
    const resolved = configFor('fedavgm', params);
    this.config = resolved.config;
    this.#learningRate = paramOrDefault('fedavgm', resolved.params, 'serverLearningRate');
    this.#momentum = paramOrDefault('fedavgm', resolved.params, 'momentum');
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const { previous } = input;
    const previousVelocity = readStateVector(
      input.serverState,
      FEDAVGM_MOMENTUM_STATE,
      previous.length,
    );
    const average = weightedMean(
      sorted.map((update) => update.weights),
      sorted.map((update) => update.numSamples),
    );
    const velocity = new Float64Array(previous.length);
    const next = new Float64Array(previous.length);
    for (let j = 0; j < previous.length; j++) {
      const pseudoGradient = previous[j] - average[j];
      const v = this.#momentum * (previousVelocity?.[j] ?? 0) + pseudoGradient;
      velocity[j] = v;
      next[j] = previous[j] - this.#learningRate * v;
    }
    const weights = toFloat32(next);
    const momentum = toFloat32(velocity);
    assertFinite(weights, 'FedAvgM result');
    assertFinite(momentum, 'FedAvgM momentum');
    return {
      weights,
      diagnostics: acceptedDiagnostics(sorted, sampleShares(sorted), weights),
      serverState: { [FEDAVGM_MOMENTUM_STATE]: momentum },
    };
  }
}
