import type { StrategyConfig } from '../types';
import { cosineToAggregate } from '../contribution/signals';
import { coordinateMedian, toFloat32 } from './math';
import type {
  AggregationInput,
  AggregationResult,
  AggregationStrategy,
  UpdateDiagnostic,
} from './strategy';
import { sortById, validateAggregationInput } from './validate-input';

/**
 * Cosine filter: an update whose step (update − previous) does not point the same way as the
 * coordinate-wise median step of the round (cosine ≤ 0) is left out before the wrapped strategy
 * runs, so it neither pulls the model nor dilutes the others' sample weights; a step of zero (a free
 * rider returning the global model) has no direction and is left out too. The median step is only
 * a direction reference, never the model, so it does not throw away skewed but honest data the way
 * coordinate-wise median aggregation does. When no update agrees the previous model is kept.
 * After the trust score of Cao, Fang, Liu, Gong, "FLTrust: Byzantine-robust Federated Learning via
 * Trust Bootstrapping", NDSS 2021 (ReLU of the cosine with a reference step), with the round's
 * coordinate-wise median step as the reference instead of a server-held root dataset, and a 0/1
 * trust instead of a weight so the wrapped strategy's sample weighting stays as it is.
 */
export class CosineFilterStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #inner: AggregationStrategy;

  constructor(inner: AggregationStrategy) {
    this.#inner = inner;
    this.config = { ...inner.config, cosineFilter: true };
  }

  aggregate(input: AggregationInput): AggregationResult {
    const sorted = validateAggregationInput(input);
    const reference = toFloat32(coordinateMedian(sorted.map((u) => u.weights)));
    const cosines = new Map(
      sorted.map((u) => [u.id, cosineToAggregate(u.weights, input.previous, reference)]),
    );
    const kept = sorted.filter((u) => (cosines.get(u.id) as number) > 0);
    const rejected = (id: string): UpdateDiagnostic => ({
      id,
      accepted: false,
      weight: 0,
      score: cosines.get(id),
      reason: `cosine ${cosines.get(id)} with the round's median step is not positive`,
    });
    if (kept.length === 0) {
      return {
        weights: input.previous.slice(),
        diagnostics: sorted.map((u) => rejected(u.id)),
        ...(input.serverState ? { serverState: input.serverState } : {}),
      };
    }
    const result = this.#inner.aggregate({ ...input, updates: kept });
    const byId = new Map(result.diagnostics.map((d) => [d.id, d]));
    const diagnostics = sortById(sorted.map((u) => byId.get(u.id) ?? rejected(u.id)));
    return { ...result, diagnostics };
  }
}
