import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { AdaptiveNormBoundingStrategy } from './adaptive-norm-bounding';
import { createStrategy, validateStrategyConfig } from './create-strategy';
import { FedAvgStrategy } from './fedavg';

test('the bound is the median update norm: a ×10 update is scaled back to it, honest ones untouched', () => {
  const strategy = new AdaptiveNormBoundingStrategy(new FedAvgStrategy(), 1);
  const updates = [update('a', 1, [1, 0]), update('b', 1, [0, 2]), update('evil', 1, [-30, -40])];
  // Norms 1, 2, 50 → median 2; evil becomes [-1.2, -1.6].
  assert.equal(strategy.bound(updates, f32(0, 0)), 2);
  const result = strategy.aggregate({ updates, previous: f32(0, 0) });
  const expected = f32((1 + 0 + Math.fround(-1.2)) / 3, (0 + 2 + Math.fround(-1.6)) / 3);
  assert.deepEqual(result.weights, expected);
  assert.equal(
    result.diagnostics[2]?.reason,
    'update norm 50 clipped to 2 (adaptive bound 1 × median norm)',
  );
  assert.equal(result.diagnostics[0]?.reason, undefined);
  assert.deepEqual(strategy.config, { name: 'fedavg', adaptiveNormBound: 1 });
});

test('an even count takes the mean of the two middle norms, times the multiplier', () => {
  const strategy = new AdaptiveNormBoundingStrategy(new FedAvgStrategy(), 1.5);
  const updates = [
    update('a', 1, [1]),
    update('b', 1, [3]),
    update('c', 1, [5]),
    update('d', 1, [100]),
  ];
  assert.equal(strategy.bound(updates, f32(0)), 6);
  assert.equal(strategy.bound([...updates].reverse(), f32(0)), 6);
});

test('median norm 0 (most updates return the global model): the previous model is kept', () => {
  const strategy = new AdaptiveNormBoundingStrategy(new FedAvgStrategy(), 1);
  const result = strategy.aggregate({
    updates: [update('a', 1, [0]), update('b', 1, [0]), update('c', 1, [9])],
    previous: f32(0),
  });
  assert.deepEqual(result.weights, f32(0));
  assert.match(result.diagnostics[2]?.reason ?? '', /median update norm is 0/);
});

test('config: adaptiveNormBound validated, exclusive with normBound, built by createStrategy', () => {
  assert.deepEqual(validateStrategyConfig({ name: 'fedavg', adaptiveNormBound: 2 }), {
    name: 'fedavg',
    adaptiveNormBound: 2,
  });
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', adaptiveNormBound: 0 }),
    'INVALID_ARGUMENT',
    /adaptiveNormBound must be a number in \(0, 100\]/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', adaptiveNormBound: 101 }),
    'INVALID_ARGUMENT',
    /adaptiveNormBound/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', adaptiveNormBound: '1' }),
    'INVALID_ARGUMENT',
    /adaptiveNormBound/,
  );
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', normBound: 1, adaptiveNormBound: 1 }),
    'INVALID_ARGUMENT',
    /exclude each other/,
  );
  assert.ok(
    createStrategy({ name: 'fedavg', adaptiveNormBound: 1 }) instanceof
      AdaptiveNormBoundingStrategy,
  );
});
