import { FedLedgerError } from '../errors';
import type { StrategyConfig } from '../types';
import { assertFinite } from '../weights/validate';
import { acceptedDiagnostics, configFor, sampleShares } from './diagnostics';
import { toFloat32, weightedMean } from './math';
import type { AggregationInput, AggregationResult, AggregationStrategy } from './strategy';
import { paramOrDefault } from './strategy-params';
import { readStateVector, validateAggregationInput } from './validate-input';

/** Server state keys of FedAdam's first and second moments. */
export const FEDADAM_M_STATE = 'm';
export const FEDADAM_V_STATE = 'v';

/**
 * FedAdam: the server runs Adam on the sample-weighted mean client delta Δ = mean(updates) − previous:
 * m ← β₁·m + (1−β₁)·Δ, v ← β₂·v + (1−β₂)·Δ², w ← previous + η·m / (√v + τ), without bias
 * correction, with m₋₁ = 0 and v₋₁ = τ² as in Algorithm 2 of
 * Reddi, Charles, Zaheer, Garrett, Rush, Konečný, Kumar, McMahan, "Adaptive Federated
 * Optimization", ICLR 2021.
 * Params: `serverLearningRate` η (0.1, measured: docs/performance.md §3b), `beta1` (0.9), `beta2` (0.99), `tau` (1e-3); state: `m`, `v`.
 * Only `+ − × ÷ √` are used, so every peer computes identical bits.
 */
export class FedAdamStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #learningRate: number;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #tau: number;

  constructor(params: Record<string, number> = {}) {
    const resolved = configFor('fedadam', params);
    this.config = resolved.config;
    this.#learningRate = paramOrDefault('fedadam', resolved.params, 'serverLearningRate');
    this.#beta1 = paramOrDefault('fedadam', resolved.params, 'beta1');
    this.#beta2 = paramOrDefault('fedadam', resolved.params, 'beta2');
    this.#tau = paramOrDefault('fedadam', resolved.params, 'tau');
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const { previous } = input;
    const previousM = readStateVector(input.serverState, FEDADAM_M_STATE, previous.length);
    const previousV = readStateVector(input.serverState, FEDADAM_V_STATE, previous.length);
    if (previousV?.some((value) => value < 0)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `serverState.${FEDADAM_V_STATE} must not be negative`,
      );
    }
    const average = weightedMean(
      sorted.map((update) => update.weights),
      sorted.map((update) => update.numSamples),
    );
    const initialV = this.#tau * this.#tau;
    const m = new Float64Array(previous.length);
    const v = new Float64Array(previous.length);
    const next = new Float64Array(previous.length);
    for (let j = 0; j < previous.length; j++) {
      const delta = average[j] - previous[j];
      const mj = this.#beta1 * (previousM?.[j] ?? 0) + (1 - this.#beta1) * delta;
      const vj = this.#beta2 * (previousV?.[j] ?? initialV) + (1 - this.#beta2) * delta * delta;
      m[j] = mj;
      v[j] = vj;
      next[j] = previous[j] + (this.#learningRate * mj) / (Math.sqrt(vj) + this.#tau);
    }
    const weights = toFloat32(next);
    const state = { [FEDADAM_M_STATE]: toFloat32(m), [FEDADAM_V_STATE]: toFloat32(v) };
    assertFinite(weights, 'FedAdam result');
    assertFinite(state[FEDADAM_M_STATE], 'FedAdam m');
    assertFinite(state[FEDADAM_V_STATE], 'FedAdam v');
    return {
      weights,
      diagnostics: acceptedDiagnostics(sorted, sampleShares(sorted), weights),
      serverState: state,
    };
  }
}
