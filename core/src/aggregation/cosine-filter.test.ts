import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { createStrategy, validateStrategyConfig } from './create-strategy';
import { CosineFilterStrategy } from './cosine-filter';
import { FedAvgStrategy } from './fedavg';

test('an update pointing against the median step, and a zero step, are left out; the rest keep their sample weights', () => {
  const strategy = new CosineFilterStrategy(new FedAvgStrategy());
  const updates = [
    update('a', 1, [1, 1]),
    update('b', 3, [1, 0.5]),
    update('evil', 10, [-10, -10]),
    update('lazy', 5, [0, 0]),
  ];
  const result = strategy.aggregate({ updates, previous: f32(0, 0) });
  // Median step: [0.5, 0.25]; a and b agree; evil opposes; lazy has no step. FedAvg of a (1) and b (3).
  assert.deepEqual(result.weights, f32(1, (1 + 3 * 0.5) / 4));
  assert.deepEqual(
    result.diagnostics.map((d) => [d.id, d.accepted]),
    [
      ['a', true],
      ['b', true],
      ['evil', false],
      ['lazy', false],
    ],
  );
  assert.equal(result.diagnostics[2]?.weight, 0);
  assert.match(
    result.diagnostics[2]?.reason ?? '',
    /cosine -0\.948\d+ with the round's median step is not positive/,
  );
  assert.deepEqual(strategy.config, { name: 'fedavg', cosineFilter: true });
});

test('nobody agrees (all zero steps): the previous model is kept', () => {
  const result = new CosineFilterStrategy(new FedAvgStrategy()).aggregate({
    updates: [update('a', 1, [2, 2]), update('b', 1, [2, 2])],
    previous: f32(2, 2),
  });
  assert.deepEqual(result.weights, f32(2, 2));
});

test('config: cosineFilter must be boolean; false is dropped; createStrategy composes it outside the norm bound', () => {
  assert.deepEqual(validateStrategyConfig({ name: 'fedavg', cosineFilter: false }), {
    name: 'fedavg',
  });
  assertFails(
    () => validateStrategyConfig({ name: 'fedavg', cosineFilter: 'yes' }),
    'INVALID_ARGUMENT',
    /cosineFilter must be true or false/,
  );
  const strategy = createStrategy({ name: 'fedavg', adaptiveNormBound: 1, cosineFilter: true });
  assert.ok(strategy instanceof CosineFilterStrategy);
  assert.deepEqual(strategy.config, { name: 'fedavg', adaptiveNormBound: 1, cosineFilter: true });
});
