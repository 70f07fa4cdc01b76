import { FedLedgerError } from '../errors';
import type { StrategyName } from '../types';

/** The admissible range of one strategy parameter, with its default when it has one. */
interface ParamSpec {
  /** Human-readable range, used in error messages. */
  range: string;
  accepts(value: number): boolean;
  default?: number;
}

const positive: Omit<ParamSpec, 'default'> = { range: '> 0', accepts: (v) => v > 0 };
const unitInterval: Omit<ParamSpec, 'default'> = {
  range: 'in [0, 1)',
  accepts: (v) => v >= 0 && v < 1,
};
const count: Omit<ParamSpec, 'default'> = {
  range: 'a non-negative integer',
  accepts: (v) => Number.isSafeInteger(v) && v >= 0,
};

/** Every parameter each strategy understands; anything else in `params` is rejected. */
export const STRATEGY_PARAMS: Readonly<Record<StrategyName, Readonly<Record<string, ParamSpec>>>> =
  {
    fedavg: {},
    fedavgm: {
      serverLearningRate: { ...positive, default: 1 },
      momentum: { ...unitInterval, default: 0.9 },
    },
    fedadam: {
      // 0.01 moved the demo model too little in 5–15 rounds; 0.1 had the best round in both splits of the server-lr bench (ADR 0017).
      serverLearningRate: { ...positive, default: 0.1 },
      beta1: { ...unitInterval, default: 0.9 },
      beta2: { ...unitInterval, default: 0.99 },
      tau: { ...positive, default: 1e-3 },
    },
    median: {},
    'trimmed-mean': {
      beta: { range: 'in [0, 0.5)', accepts: (v) => v >= 0 && v < 0.5, default: 0.1 },
    },
    krum: {
      f: { ...count, default: 0 },
    },
    'centered-clipping': {
      iterations: {
        range: 'an integer from 1 to 10',
        accepts: (v) => Number.isSafeInteger(v) && v >= 1 && v <= 10,
        default: 3,
      },
      radius: { range: 'in (0, 100]', accepts: (v) => v > 0 && v <= 100, default: 1 },
    },
    'multi-krum': {
      f: { ...count, default: 0 },
      // No static default: it is n − f, known only once the updates are in.
      m: { range: 'a positive integer', accepts: (v) => Number.isSafeInteger(v) && v >= 1 },
    },
  };

/**
 * Validates `params` for strategy `name` and returns a clean copy holding only the given keys.
 * Throws INVALID_ARGUMENT naming the first bad field (in sorted key order).
 */
export function validateStrategyParams(
  name: StrategyName,
  params: unknown,
): Record<string, number> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'strategy.params must be an object of numbers');
  }
  const specs = STRATEGY_PARAMS[name];
  const record = params as Record<string, unknown>;
  const clean: Record<string, number> = {};
  for (const key of Object.keys(record).sort()) {
    // Own properties only: `specs["constructor"]` or `specs["__proto__"]` would otherwise be found on
    // Object.prototype and make a JSON key such as "__proto__" crash instead of being rejected.
    const spec = Object.prototype.hasOwnProperty.call(specs, key) ? specs[key] : undefined;
    if (spec === undefined) {
      const known = Object.keys(specs);
      const allowed =
        known.length === 0 ? 'it takes no parameters' : `allowed: ${known.join(', ')}`;
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `strategy.params.${key} is not a parameter of ${name} (${allowed})`,
      );
    }
    const value = record[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `strategy.params.${key} must be a finite number, got ${String(value)}`,
      );
    }
    if (!spec.accepts(value)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `strategy.params.${key} must be ${spec.range}, got ${value}`,
      );
    }
    clean[key] = value;
  }
  return clean;
}

/** The value of a parameter, or its default; only for parameters that have a default. */
export function paramOrDefault(
  name: StrategyName,
  params: Readonly<Partial<Record<string, number>>>,
  key: string,
): number {
  // Both records are indexed by a free string key, so either lookup may find nothing.
  const specs: Readonly<Partial<Record<string, ParamSpec>>> = STRATEGY_PARAMS[name];
  const value = params[key] ?? specs[key]?.default;
  if (value === undefined) {
    throw new FedLedgerError('INTERNAL', `${name} has no default for ${key}`);
  }
  return value;
}
