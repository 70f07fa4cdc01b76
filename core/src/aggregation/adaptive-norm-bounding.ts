import { FedLedgerError } from '../errors';
import type { StrategyConfig } from '../types';
import { l2Distance } from '../weights/validate';
import { NormBoundingStrategy } from './norm-bounding';
import type {
  AggregationInput,
  AggregationResult,
  AggregationStrategy,
  ClientUpdate,
} from './strategy';
import { sortById, validateAggregationInput } from './validate-input';

/** Largest accepted multiplier: beyond it the bound no longer bounds anything a poisoner would send. */
export const MAX_ADAPTIVE_NORM_MULTIPLIER = 100;

/**
 * Adaptive norm bounding: the bound is `multiplier` × the median of the round's update distances
 * from the previous global model, so it follows the shrinking updates of a converging model instead
 * of needing a hand-tuned constant. With fewer than half the updates malicious the median is an
 * honest norm, so a scaled-up update (sign flip ×10, noise) carries no more weight than an honest
 * one, while honest but skewed updates — the ones coordinate-wise rules throw away — are kept and
 * averaged. Then the wrapped strategy runs on the clipped updates.
 * The fixed-bound defence is Sun, Kairouz, Suresh, McMahan, "Can You Really Backdoor Federated
 * Learning?", arXiv:1911.07963 (2019); the bound taken from a quantile of the round's norms follows
 * Andrew, Thakkar, McMahan, Ramaswamy, "Differentially Private Learning with Adaptive Clipping",
 * NeurIPS 2021 (here the exact median, with no privacy noise).
 * The median of an even count is the mean of the two middle norms; norms are sorted by value with
 * ties broken by id, so every peer computes the same bound bit for bit.
 */
export class AdaptiveNormBoundingStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #inner: AggregationStrategy;
  readonly #multiplier: number;

  constructor(inner: AggregationStrategy, multiplier: number) {
    assertAdaptiveNormBound(multiplier);
    this.#inner = inner;
    this.#multiplier = multiplier;
    this.config = { ...inner.config, adaptiveNormBound: multiplier };
  }

  /** The bound for this set of updates: multiplier × median distance from `previous`. */
  bound(updates: readonly ClientUpdate[], previous: Float32Array): number {
    const norms = sortById(updates)
      .map((update) => l2Distance(update.weights, previous))
      .sort((a, b) => a - b);
    const mid = Math.floor(norms.length / 2);
    const median = norms.length % 2 === 1 ? norms[mid] : (norms[mid - 1] + norms[mid]) / 2;
    return this.#multiplier * median;
  }

  aggregate(input: AggregationInput): AggregationResult {
    validateAggregationInput(input);
    const bound = this.bound(input.updates, input.previous);
    if (bound > 0) {
      const result = new NormBoundingStrategy(this.#inner, bound).aggregate(input);
      return {
        ...result,
        diagnostics: result.diagnostics.map((d) =>
          d.reason === undefined
            ? d
            : { ...d, reason: `${d.reason} (adaptive bound ${this.#multiplier} × median norm)` },
        ),
      };
    }
    // Most updates did not move (free riders returning the global model): any movement is outvoted.
    const updates = input.updates.map((update): ClientUpdate => ({
      ...update,
      weights: input.previous,
    }));
    const result = this.#inner.aggregate({ ...input, updates });
    return {
      ...result,
      diagnostics: result.diagnostics.map((d) => ({
        ...d,
        reason: 'median update norm is 0: every update clipped to the previous model',
      })),
    };
  }
}

/** Throws INVALID_ARGUMENT unless `multiplier` is a finite number in (0, {@link MAX_ADAPTIVE_NORM_MULTIPLIER}]. */
export function assertAdaptiveNormBound(multiplier: unknown): asserts multiplier is number {
  if (
    typeof multiplier !== 'number' ||
    !Number.isFinite(multiplier) ||
    multiplier <= 0 ||
    multiplier > MAX_ADAPTIVE_NORM_MULTIPLIER
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `strategy.adaptiveNormBound must be a number in (0, ${MAX_ADAPTIVE_NORM_MULTIPLIER}] (a multiple of the round's median update norm), got ${String(multiplier)}`,
    );
  }
}
