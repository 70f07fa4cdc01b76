import { test } from 'node:test';
import assert from 'node:assert/strict';
import { f32, update } from '../testing/aggregation-fixtures';
import { TrimmedMeanStrategy } from './trimmed-mean';

const five = [
  update('a', 1, [1, 50]),
  update('b', 1, [2, 40]),
  update('c', 1, [3, 30]),
  update('d', 1, [4, 20]),
  update('e', 9, [100, -1000]),
];

test('β = 0.2 of 5 trims one value from each end per coordinate', () => {
  const result = new TrimmedMeanStrategy({ beta: 0.2 }).aggregate({
    updates: five,
    previous: f32(0, 0),
  });
  assert.deepEqual(result.weights, f32(3, 30));
  assert.deepEqual(
    result.diagnostics.map((d) => [d.id, d.accepted, d.weight]),
    ['a', 'b', 'c', 'd', 'e'].map((id) => [id, true, 0.2]),
  );
});

test('the default β = 0.1 trims nothing from 5 updates and one from 10', () => {
  const strategy = new TrimmedMeanStrategy();
  assert.equal(strategy.trimCount(5), 0);
  assert.equal(strategy.trimCount(10), 1);
  assert.deepEqual(
    strategy.aggregate({ updates: five, previous: f32(0, 0) }).weights,
    f32(22, -172),
  );
});

test('β = 0 is the unweighted mean', () => {
  const result = new TrimmedMeanStrategy({ beta: 0 }).aggregate({
    updates: [update('a', 1, [1]), update('b', 3, [2])],
    previous: f32(0),
  });
  assert.deepEqual(result.weights, f32(1.5));
  assert.deepEqual(new TrimmedMeanStrategy({ beta: 0 }).config, {
    name: 'trimmed-mean',
    params: { beta: 0 },
  });
});
