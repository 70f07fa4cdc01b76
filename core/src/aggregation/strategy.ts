import type { StrategyConfig } from '../types';

/**
 * Aggregation strategy interface, after Flower's: validation first, pure math apart, one class per
 * algorithm, cross-cutting behaviour (norm bounding) as a wrapper. Every implementation must be
 * deterministic (DESIGN §5): inputs sorted by `id`, Float64 accumulation in a fixed order, one
 * rounding to Float32, only `+ - * / sqrt` and comparisons.
 */

/** One org's submitted model: full weights (not a delta), flattened in tensor order. */
export interface ClientUpdate {
  /** The submitting org's MSP id; updates are processed sorted by it. */
  id: string;
  numSamples: number;
  weights: Float32Array;
}

/** Server optimizer state carried between rounds (e.g. FedAdam's moments), by name. */
export type ServerState = Record<string, Float32Array>;

export interface AggregationInput {
  updates: readonly ClientUpdate[];
  /** The global model the round started from. */
  previous: Float32Array;
  /** State returned by the previous round's aggregation, if the strategy keeps any. */
  serverState?: ServerState;
}

export interface UpdateDiagnostic {
  id: string;
  accepted: boolean;
  /** Share of the new model this update carried (0 when rejected); shares of accepted updates sum to 1. */
  weight: number;
  score?: number;
  reason?: string;
}

export interface AggregationResult {
  weights: Float32Array;
  /** One entry per input update, sorted by id. */
  diagnostics: UpdateDiagnostic[];
  serverState?: ServerState;
}

export interface AggregationStrategy {
  readonly config: StrategyConfig;
  /** Throws `FedLedgerError` (INVALID_ARGUMENT, SHAPE_MISMATCH, NON_FINITE_VALUE, QUORUM_NOT_MET) before any math on bad input. */
  aggregate(input: AggregationInput): AggregationResult;
}
