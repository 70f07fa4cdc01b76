import type { StrategyConfig, StrategyName } from '../types';
import { l2Distance } from '../weights/validate';
import type { ClientUpdate, UpdateDiagnostic } from './strategy';
import { validateStrategyParams } from './strategy-params';

/** Each update's share when weighting by numSamples: nᵢ / Σ n. */
export function sampleShares(updates: readonly ClientUpdate[]): number[] {
  let total = 0;
  for (const update of updates) {
    total += update.numSamples;
  }
  return updates.map((update) => update.numSamples / total);
}

/** Equal shares 1/n, for strategies where no single update owns a coordinate (median, trimmed mean). */
export function equalShares(count: number): number[] {
  return new Array<number>(count).fill(1 / count);
}

/**
 * Diagnostics for strategies that accept every update: the given share, and as score the L2
 * distance from the update to the new global model (an auditor's outlier signal).
 */
export function acceptedDiagnostics(
  sorted: readonly ClientUpdate[],
  shares: readonly number[],
  result: Float32Array,
): UpdateDiagnostic[] {
  return sorted.map((update, i) => ({
    id: update.id,
    accepted: true,
    weight: shares[i],
    score: l2Distance(update.weights, result),
  }));
}

/** Validates constructor params and builds the strategy's config (no `params` key when none were given). */
export function configFor(
  name: StrategyName,
  params: unknown,
): { config: StrategyConfig; params: Record<string, number> } {
  const clean = validateStrategyParams(name, params);
  const config: StrategyConfig =
    Object.keys(clean).length === 0 ? { name } : { name, params: clean };
  return { config, params: clean };
}
