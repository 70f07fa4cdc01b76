import { FedLedgerError } from '../errors';
import type { StrategyConfig } from '../types';
import { l2Distance } from '../weights/validate';
import type {
  AggregationInput,
  AggregationResult,
  AggregationStrategy,
  ClientUpdate,
} from './strategy';
import { validateAggregationInput } from './validate-input';

/**
 * Norm bounding: before the wrapped strategy runs, each update whose difference from the previous
 * global model has L2 norm above `normBound` is scaled back onto that ball:
 * previous + (update − previous)·(normBound / norm), computed in Float64 and rounded to Float32
 * once per clipped update (so a clipped norm can exceed the bound by Float32 rounding). Diagnostics of clipped updates say so in `reason`.
 * Sun, Kairouz, Suresh, McMahan, "Can You Really Backdoor Federated Learning?", arXiv:1911.07963, 2019.
 */
export class NormBoundingStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #inner: AggregationStrategy;
  readonly #normBound: number;

  constructor(inner: AggregationStrategy, normBound: number) {
    assertNormBound(normBound);
    this.#inner = inner;
    this.#normBound = normBound;
    this.config = { ...inner.config, normBound };
  }

  aggregate(input: AggregationInput): AggregationResult {
    validateAggregationInput(input);
    const clipNotes = new Map<string, string>();
    const updates = input.updates.map((update): ClientUpdate => {
      const norm = l2Distance(update.weights, input.previous);
      if (norm <= this.#normBound) {
        return update;
      }
      clipNotes.set(update.id, `update norm ${norm} clipped to ${this.#normBound}`);
      return { ...update, weights: clip(update.weights, input.previous, this.#normBound / norm) };
    });
    const result = this.#inner.aggregate({ ...input, updates });
    const diagnostics = result.diagnostics.map((diagnostic) => {
      const note = clipNotes.get(diagnostic.id);
      if (note === undefined) {
        return diagnostic;
      }
      const reason = diagnostic.reason === undefined ? note : `${diagnostic.reason}; ${note}`;
      return { ...diagnostic, reason };
    });
    return { ...result, diagnostics };
  }
}

/** Throws INVALID_ARGUMENT unless `normBound` is a finite number > 0. */
export function assertNormBound(normBound: unknown): asserts normBound is number {
  if (typeof normBound !== 'number' || !Number.isFinite(normBound) || normBound <= 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `strategy.normBound must be a finite number > 0, got ${String(normBound)}`,
    );
  }
}

function clip(weights: Float32Array, previous: Float32Array, scale: number): Float32Array {
  const clipped = new Float32Array(weights.length);
  for (let j = 0; j < weights.length; j++) {
    const base = previous[j];
    clipped[j] = base + (weights[j] - base) * scale;
  }
  return clipped;
}
