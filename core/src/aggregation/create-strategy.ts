import { FedLedgerError } from '../errors';
import { STRATEGY_NAMES, type StrategyConfig, type StrategyName } from '../types';
import { AdaptiveNormBoundingStrategy, assertAdaptiveNormBound } from './adaptive-norm-bounding';
import { CenteredClippingStrategy } from './centered-clipping';
import { CosineFilterStrategy } from './cosine-filter';
import { FedAdamStrategy } from './fedadam';
import { FedAvgStrategy } from './fedavg';
import { FedAvgMStrategy } from './fedavgm';
import { KrumStrategy } from './krum';
import { MedianStrategy } from './median';
import { assertNormBound, NormBoundingStrategy } from './norm-bounding';
import type { AggregationStrategy } from './strategy';
import { validateStrategyParams } from './strategy-params';
import { TrimmedMeanStrategy } from './trimmed-mean';

const CONFIG_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'params',
  'normBound',
  'adaptiveNormBound',
  'cosineFilter',
]);
const KNOWN_NAMES: ReadonlySet<string> = new Set(STRATEGY_NAMES);

/**
 * Validates untrusted strategy configuration (e.g. from a federation spec) and returns a clean
 * copy: only known fields, params restricted to the strategy's own and within range, no `params`
 * key when there are none. Defaults are not filled in. Throws INVALID_ARGUMENT naming the bad field.
 */
export function validateStrategyConfig(config: unknown): StrategyConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'strategy must be an object');
  }
  const record = config as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (!CONFIG_FIELDS.has(key)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `strategy.${key} is not a known field (name, params, normBound, adaptiveNormBound, cosineFilter)`,
      );
    }
  }
  const { name, params, normBound, adaptiveNormBound, cosineFilter } = record;
  if (typeof name !== 'string' || !KNOWN_NAMES.has(name)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `strategy.name ${name === undefined ? 'undefined' : JSON.stringify(name)} is not one of ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  const strategyName = name as StrategyName;
  const clean: StrategyConfig = { name: strategyName };
  if (params !== undefined) {
    const cleanParams = validateStrategyParams(strategyName, params);
    if (Object.keys(cleanParams).length > 0) {
      clean.params = cleanParams;
    }
  }
  if (normBound !== undefined) {
    assertNormBound(normBound);
    clean.normBound = normBound;
  }
  if (adaptiveNormBound !== undefined) {
    assertAdaptiveNormBound(adaptiveNormBound);
    if (clean.normBound !== undefined) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        'strategy.normBound and strategy.adaptiveNormBound exclude each other; give one bound',
      );
    }
    clean.adaptiveNormBound = adaptiveNormBound;
  }
  if (cosineFilter !== undefined) {
    if (typeof cosineFilter !== 'boolean') {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `strategy.cosineFilter must be true or false, got ${JSON.stringify(cosineFilter)}`,
      );
    }
    // false is the same as absent; only true is stored, so one config has one spelling.
    if (cosineFilter) clean.cosineFilter = true;
  }
  return clean;
}

/** Builds the strategy a (validated here again) config describes, wrapped in norm bounding when `normBound` or `adaptiveNormBound` is set. */
export function createStrategy(config: StrategyConfig): AggregationStrategy {
  const valid = validateStrategyConfig(config);
  const params = valid.params ?? {};
  const inner = createUnbounded(valid.name, params);
  const bounded =
    valid.adaptiveNormBound !== undefined
      ? new AdaptiveNormBoundingStrategy(inner, valid.adaptiveNormBound)
      : valid.normBound === undefined
        ? inner
        : new NormBoundingStrategy(inner, valid.normBound);
  // The filter sees the raw updates (their directions), then the survivors are clipped and aggregated.
  return valid.cosineFilter === true ? new CosineFilterStrategy(bounded) : bounded;
}

function createUnbounded(name: StrategyName, params: Record<string, number>): AggregationStrategy {
  switch (name) {
    case 'fedavg':
      return new FedAvgStrategy(params);
    case 'fedavgm':
      return new FedAvgMStrategy(params);
    case 'fedadam':
      return new FedAdamStrategy(params);
    case 'median':
      return new MedianStrategy(params);
    case 'trimmed-mean':
      return new TrimmedMeanStrategy(params);
    case 'centered-clipping':
      return new CenteredClippingStrategy(params);
    case 'krum':
    case 'multi-krum':
      return new KrumStrategy(name, params);
  }
}
