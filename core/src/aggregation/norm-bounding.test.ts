import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { FedAvgStrategy } from './fedavg';
import { KrumStrategy } from './krum';
import { NormBoundingStrategy } from './norm-bounding';

test('updates farther than normBound from previous are scaled onto the ball before averaging', () => {
  const strategy = new NormBoundingStrategy(new FedAvgStrategy(), 1);
  const result = strategy.aggregate({
    updates: [update('a', 1, [3, 4]), update('b', 1, [0.3, 0.4])],
    previous: f32(0, 0),
  });
  // a (norm 5) becomes [0.6, 0.8]; b (norm ≈ 0.5) is untouched.
  const expected = f32(
    (Math.fround(0.6) + Math.fround(0.3)) / 2,
    (Math.fround(0.8) + Math.fround(0.4)) / 2,
  );
  assert.deepEqual(result.weights, expected);
  assert.equal(result.diagnostics[0]?.reason, 'update norm 5 clipped to 1');
  assert.equal(result.diagnostics[1]?.reason, undefined);
  assert.deepEqual(strategy.config, { name: 'fedavg', normBound: 1 });
});

test('clipping is relative to the previous global model', () => {
  const result = new NormBoundingStrategy(new FedAvgStrategy(), 2).aggregate({
    updates: [update('a', 1, [10, 1])],
    previous: f32(4, 1),
  });
  assert.deepEqual(result.weights, f32(6, 1));
  assert.equal(result.diagnostics[0]?.reason, 'update norm 6 clipped to 2');
});

test('a clipped update that the inner strategy rejects keeps both reasons', () => {
  const updates = [
    update('a', 1, [0]),
    update('b', 1, [1]),
    update('c', 1, [2]),
    update('d', 1, [50]),
  ];
  const result = new NormBoundingStrategy(new KrumStrategy('krum'), 10).aggregate({
    updates,
    previous: f32(0),
  });
  const d = result.diagnostics.find((diagnostic) => diagnostic.id === 'd');
  assert.equal(d?.accepted, false);
  assert.match(
    d.reason ?? '',
    /^Krum score \d+ is not among the 1 lowest .*; update norm 50 clipped to 10$/,
  );
});

test('normBound must be a finite positive number', () => {
  for (const bad of [0, -1, Number.NaN, Infinity]) {
    assertFails(
      () => new NormBoundingStrategy(new FedAvgStrategy(), bad),
      'INVALID_ARGUMENT',
      /strategy.normBound must be a finite number > 0/,
    );
  }
});

test('the wrapper validates input before clipping', () => {
  const strategy = new NormBoundingStrategy(new FedAvgStrategy(), 1);
  assertFails(
    () => strategy.aggregate({ updates: [update('a', 1, [1])], previous: f32(0, 0) }),
    'SHAPE_MISMATCH',
    /update a has 1 parameters/,
  );
});
