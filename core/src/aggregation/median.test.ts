import { test } from 'node:test';
import assert from 'node:assert/strict';
import { f32, update } from '../testing/aggregation-fixtures';
import { MedianStrategy } from './median';

test('median of an odd count ignores the outlier and the sample counts', () => {
  const result = new MedianStrategy().aggregate({
    updates: [update('a', 1, [1, 10]), update('b', 1, [2, -5]), update('c', 1_000_000, [100, 0])],
    previous: f32(0, 0),
  });
  assert.deepEqual(result.weights, f32(2, 0));
  assert.deepEqual(result.diagnostics, [
    { id: 'a', accepted: true, weight: 1 / 3, score: Math.sqrt(1 + 100) },
    { id: 'b', accepted: true, weight: 1 / 3, score: 5 },
    { id: 'c', accepted: true, weight: 1 / 3, score: 98 },
  ]);
});

test('median of an even count is the midpoint of the two middle values', () => {
  const result = new MedianStrategy().aggregate({
    updates: [
      update('a', 1, [1, 10]),
      update('b', 1, [2, -5]),
      update('c', 1, [100, 0]),
      update('d', 1, [3, 1]),
    ],
    previous: f32(0, 0),
  });
  assert.deepEqual(result.weights, f32(2.5, 0.5));
  assert.deepEqual(new MedianStrategy().config, { name: 'median' });
});
