import { test } from 'node:test';
import assert from 'node:assert/strict';
import { f32, update } from '../testing/aggregation-fixtures';
import { FedAvgStrategy } from './fedavg';

test('FedAvg weights each model by its sample count', () => {
  const result = new FedAvgStrategy().aggregate({
    updates: [update('Org2MSP', 3, [5, -2]), update('Org1MSP', 1, [1, 2])],
    previous: f32(0, 0),
  });
  assert.deepEqual(result.weights, f32(4, -1));
  assert.deepEqual(result.diagnostics, [
    { id: 'Org1MSP', accepted: true, weight: 0.25, score: Math.sqrt(18) },
    { id: 'Org2MSP', accepted: true, weight: 0.75, score: Math.sqrt(2) },
  ]);
  assert.equal(result.serverState, undefined);
});

test('FedAvg of one update is that update', () => {
  const result = new FedAvgStrategy().aggregate({
    updates: [update('a', 7, [0.1, -3])],
    previous: f32(9, 9),
  });
  assert.deepEqual(result.weights, f32(0.1, -3));
  assert.deepEqual(result.diagnostics, [{ id: 'a', accepted: true, weight: 1, score: 0 }]);
});

test('FedAvg takes no parameters and reports its config', () => {
  assert.deepEqual(new FedAvgStrategy().config, { name: 'fedavg' });
});
