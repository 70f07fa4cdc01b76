import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRATEGY_NAMES, type StrategyConfig } from '../types';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { CenteredClippingStrategy } from './centered-clipping';
import { createStrategy, validateStrategyConfig } from './create-strategy';
import { FedAdamStrategy } from './fedadam';
import { FedAvgStrategy } from './fedavg';
import { FedAvgMStrategy } from './fedavgm';
import { KrumStrategy } from './krum';
import { MedianStrategy } from './median';
import { NormBoundingStrategy } from './norm-bounding';
import { TrimmedMeanStrategy } from './trimmed-mean';

test('createStrategy builds the class each name stands for', () => {
  const expected = {
    fedavg: FedAvgStrategy,
    fedavgm: FedAvgMStrategy,
    fedadam: FedAdamStrategy,
    median: MedianStrategy,
    'trimmed-mean': TrimmedMeanStrategy,
    krum: KrumStrategy,
    'multi-krum': KrumStrategy,
    'centered-clipping': CenteredClippingStrategy,
  };
  for (const name of STRATEGY_NAMES) {
    const strategy = createStrategy({ name });
    assert.ok(strategy instanceof expected[name], name);
    assert.deepEqual(strategy.config, { name });
  }
});

test('createStrategy passes params through and wraps in norm bounding when normBound is set', () => {
  const config: StrategyConfig = { name: 'multi-krum', params: { f: 1, m: 2 }, normBound: 3 };
  const strategy = createStrategy(config);
  assert.ok(strategy instanceof NormBoundingStrategy);
  assert.deepEqual(strategy.config, config);
  const updates = ['a', 'b', 'c', 'd', 'e'].map((id, i) => update(id, 1, [i]));
  const result = strategy.aggregate({ updates, previous: f32(0) });
  // e (4) is clipped to 3, so d and e coincide and have the lowest Krum scores (0 + 1).
  assert.deepEqual(result.weights, f32(3));
  assert.deepEqual(
    result.diagnostics.filter((d) => d.accepted).map((d) => d.id),
    ['d', 'e'],
  );
});

test('createStrategy validates the config it is given', () => {
  assertFails(
    () => createStrategy({ name: 'fedavgm', params: { momentum: 1 } }),
    'INVALID_ARGUMENT',
    /strategy.params.momentum must be in \[0, 1\), got 1/,
  );
});

test('validateStrategyConfig returns a clean copy, dropping empty params', () => {
  assert.deepEqual(validateStrategyConfig({ name: 'fedavg', params: {} }), { name: 'fedavg' });
  const input = { name: 'fedadam', params: { tau: 0.5, beta1: 0 }, normBound: 0.25 };
  const clean = validateStrategyConfig(input);
  assert.deepEqual(clean, input);
  assert.notEqual(clean.params, input.params);
});

test('validateStrategyConfig rejects anything that is not a config object', () => {
  for (const bad of [null, undefined, 'fedavg', 3, ['fedavg']]) {
    assertFails(
      () => validateStrategyConfig(bad),
      'INVALID_ARGUMENT',
      /^strategy must be an object$/,
    );
  }
});

test('validateStrategyConfig rejects unknown fields and names', () => {
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', rounds: 3 }),
    'INVALID_ARGUMENT',
    /^strategy.rounds is not a known field/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedsgd' }),
    'INVALID_ARGUMENT',
    /^strategy.name "fedsgd" is not one of fedavg, fedavgm, fedadam, median, trimmed-mean, krum, multi-krum, centered-clipping$/,
  );
  assertFails(
    () => validateStrategyConfig({}),
    'INVALID_ARGUMENT',
    /^strategy.name undefined is not one of/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 5 }),
    'INVALID_ARGUMENT',
    /^strategy.name 5 is not one of/,
  );
});

test('validateStrategyConfig rejects params that are not an object of known finite numbers', () => {
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', params: [1] }),
    'INVALID_ARGUMENT',
    /^strategy.params must be an object of numbers$/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', params: null }),
    'INVALID_ARGUMENT',
    /^strategy.params must be an object of numbers$/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', params: { beta: 0.1 } }),
    'INVALID_ARGUMENT',
    /^strategy.params.beta is not a parameter of fedavg \(it takes no parameters\)$/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedavgm', params: { lr: 0.1 } }),
    'INVALID_ARGUMENT',
    /^strategy.params.lr is not a parameter of fedavgm \(allowed: serverLearningRate, momentum\)$/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedadam', params: { tau: '1' } }),
    'INVALID_ARGUMENT',
    /^strategy.params.tau must be a finite number, got 1$/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedadam', params: { tau: Number.NaN } }),
    'INVALID_ARGUMENT',
    /^strategy.params.tau must be a finite number, got NaN$/,
  );
});

test('validateStrategyConfig rejects each out-of-range parameter, naming it', () => {
  const cases: [string, Record<string, number>, RegExp][] = [
    ['fedavgm', { serverLearningRate: 0 }, /serverLearningRate must be > 0, got 0/],
    ['fedavgm', { momentum: -0.1 }, /momentum must be in \[0, 1\), got -0.1/],
    ['fedadam', { serverLearningRate: -1 }, /serverLearningRate must be > 0/],
    ['fedadam', { beta1: 1 }, /beta1 must be in \[0, 1\)/],
    ['fedadam', { beta2: 1.5 }, /beta2 must be in \[0, 1\)/],
    ['fedadam', { tau: 0 }, /tau must be > 0/],
    ['trimmed-mean', { beta: 0.5 }, /beta must be in \[0, 0.5\), got 0.5/],
    ['trimmed-mean', { beta: -0.01 }, /beta must be in \[0, 0.5\)/],
    ['krum', { f: -1 }, /f must be a non-negative integer, got -1/],
    ['krum', { f: 1.5 }, /f must be a non-negative integer, got 1.5/],
    ['multi-krum', { m: 0 }, /m must be a positive integer, got 0/],
    ['multi-krum', { m: 2.5 }, /m must be a positive integer/],
  ];
  for (const [name, params, pattern] of cases) {
    assertFails(() => validateStrategyConfig({ name, params }), 'INVALID_ARGUMENT', pattern);
  }
});

test('validateStrategyConfig rejects a normBound that is not a finite positive number', () => {
  for (const bad of [0, -2, Infinity, '1']) {
    assertFails(
      () => validateStrategyConfig({ name: 'median', normBound: bad }),
      'INVALID_ARGUMENT',
      /^strategy.normBound must be a finite number > 0/,
    );
  }
});

test('param names inherited from Object.prototype are rejected as unknown, not crashed on', () => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const params = JSON.parse(`{${JSON.stringify(key)}: 1}`) as unknown;
    assertFails(
      () => validateStrategyConfig({ name: 'fedavgm', params }),
      'INVALID_ARGUMENT',
      new RegExp(`strategy\\.params\\.${key} is not a parameter of fedavgm`),
    );
    assertFails(
      () => validateStrategyConfig({ name: 'fedavg', params }),
      'INVALID_ARGUMENT',
      /it takes no parameters/,
    );
  }
});
