import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { FedAvgMStrategy } from './fedavgm';
import { FedAvgStrategy } from './fedavg';

test('FedAvgM round 1: zero momentum, v = previous − mean, w = previous − η·v', () => {
  const strategy = new FedAvgMStrategy({ serverLearningRate: 0.5, momentum: 0.5 });
  const result = strategy.aggregate({
    updates: [update('a', 1, [0, 2]), update('b', 1, [2, 4])],
    previous: f32(1, 1),
  });
  // mean = [1, 3], pseudo-gradient = [0, -2], v = [0, -2], w = [1, 1 + 0.5·2]
  assert.deepEqual(result.weights, f32(1, 2));
  assert.deepEqual(result.serverState, { momentum: f32(0, -2) });
  assert.deepEqual(
    result.diagnostics.map((d) => [d.id, d.accepted, d.weight]),
    [
      ['a', true, 0.5],
      ['b', true, 0.5],
    ],
  );
});

test('FedAvgM round 2 carries the momentum: v ← β·v + g', () => {
  const strategy = new FedAvgMStrategy({ serverLearningRate: 1, momentum: 0.5 });
  const result = strategy.aggregate({
    updates: [update('a', 1, [1, 4])],
    previous: f32(1, 3),
    serverState: { momentum: f32(4, -2) },
  });
  // g = [0, -1]; v = 0.5·[4, -2] + g = [2, -2]; w = [1 − 2, 3 + 2]
  assert.deepEqual(result.serverState, { momentum: f32(2, -2) });
  assert.deepEqual(result.weights, f32(-1, 5));
});

test('FedAvgM with η = 1 and β = 0 equals FedAvg', () => {
  const input = {
    updates: [update('a', 2, [0.5, -1.25]), update('b', 6, [1.5, 0.25])],
    previous: f32(0.75, 0),
  };
  const momentum = new FedAvgMStrategy({ momentum: 0 }).aggregate(input);
  assert.deepEqual(momentum.weights, new FedAvgStrategy().aggregate(input).weights);
});

test('FedAvgM defaults to η = 1, β = 0.9 and reports only given params in its config', () => {
  const strategy = new FedAvgMStrategy();
  assert.deepEqual(strategy.config, { name: 'fedavgm' });
  const result = strategy.aggregate({
    updates: [update('a', 1, [2])],
    previous: f32(0),
    serverState: { momentum: f32(10) },
  });
  // g = -2, v = 0.9·10 − 2 = 7, w = 0 − 7
  assert.deepEqual(result.weights, f32(-7));
});

test('FedAvgM rejects a momentum state of the wrong length or with non-finite values', () => {
  const strategy = new FedAvgMStrategy();
  const base = { updates: [update('a', 1, [1, 2])], previous: f32(0, 0) };
  assertFails(
    () => strategy.aggregate({ ...base, serverState: { momentum: f32(1) } }),
    'SHAPE_MISMATCH',
    /serverState.momentum has 1 values; the model has 2/,
  );
  assertFails(
    () => strategy.aggregate({ ...base, serverState: { momentum: f32(1, Number.NaN) } }),
    'NON_FINITE_VALUE',
    /serverState.momentum has NaN at index 1/,
  );
});

test('FedAvgM refuses a result that overflows Float32', () => {
  const strategy = new FedAvgMStrategy({ serverLearningRate: 1e30 });
  assertFails(
    () => strategy.aggregate({ updates: [update('a', 1, [1e10])], previous: f32(0) }),
    'NON_FINITE_VALUE',
    /FedAvgM result has Infinity at index 0/,
  );
});
