import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { KrumStrategy, krumScores } from './krum';

// One-dimensional points 0, 1, 2, 3, 100. With f = 1 each score sums the n − f − 2 = 2 smallest
// squared distances: a: 1 + 4 = 5, b: 1 + 1 = 2, c: 1 + 1 = 2, d: 1 + 4 = 5, e: 97² + 98² = 19013.
const points = [
  update('e', 1, [100]),
  update('a', 1, [0]),
  update('c', 1, [2]),
  update('b', 1, [1]),
  update('d', 1, [3]),
];

test('krumScores sums the squared distances to the n − f − 2 nearest neighbours', () => {
  assert.deepEqual(krumScores([f32(0), f32(1), f32(2), f32(3), f32(100)], 1), [5, 2, 2, 5, 19013]);
});

test('Krum selects the lowest score, breaking the tie by id', () => {
  const result = new KrumStrategy('krum', { f: 1 }).aggregate({
    updates: points,
    previous: f32(0),
  });
  assert.deepEqual(result.weights, f32(1));
  assert.deepEqual(result.diagnostics, [
    {
      id: 'a',
      accepted: false,
      weight: 0,
      score: 5,
      reason: 'Krum score 5 is not among the 1 lowest (cut-off 2, f = 1)',
    },
    { id: 'b', accepted: true, weight: 1, score: 2 },
    {
      id: 'c',
      accepted: false,
      weight: 0,
      score: 2,
      reason: 'Krum score 2 is not among the 1 lowest (cut-off 2, f = 1)',
    },
    {
      id: 'd',
      accepted: false,
      weight: 0,
      score: 5,
      reason: 'Krum score 5 is not among the 1 lowest (cut-off 2, f = 1)',
    },
    {
      id: 'e',
      accepted: false,
      weight: 0,
      score: 19013,
      reason: 'Krum score 19013 is not among the 1 lowest (cut-off 2, f = 1)',
    },
  ]);
});

test('Multi-Krum selects m = n − f by default and averages them unweighted', () => {
  const result = new KrumStrategy('multi-krum', { f: 1 }).aggregate({
    updates: points,
    previous: f32(0),
  });
  assert.deepEqual(result.weights, f32(1.5));
  assert.deepEqual(
    result.diagnostics.map((d) => [d.id, d.accepted, d.weight]),
    [
      ['a', true, 0.25],
      ['b', true, 0.25],
      ['c', true, 0.25],
      ['d', true, 0.25],
      ['e', false, 0],
    ],
  );
});

test('Multi-Krum with m = 3 breaks the a/d tie by id', () => {
  const result = new KrumStrategy('multi-krum', { f: 1, m: 3 }).aggregate({
    updates: points,
    previous: f32(0),
  });
  assert.deepEqual(result.weights, f32(1));
  assert.deepEqual(
    result.diagnostics.filter((d) => d.accepted).map((d) => d.id),
    ['a', 'b', 'c'],
  );
});

test('Krum needs n ≥ 2f + 3 updates', () => {
  assertFails(
    () =>
      new KrumStrategy('krum', { f: 1 }).aggregate({
        updates: points.slice(0, 4),
        previous: f32(0),
      }),
    'QUORUM_NOT_MET',
    /needs at least 5 updates, got 4/,
  );
  assertFails(
    () => new KrumStrategy('krum').aggregate({ updates: points.slice(0, 2), previous: f32(0) }),
    'QUORUM_NOT_MET',
    /needs at least 3 updates, got 2/,
  );
});

test('Multi-Krum cannot select more updates than were given', () => {
  assertFails(
    () => new KrumStrategy('multi-krum', { m: 6 }).aggregate({ updates: points, previous: f32(0) }),
    'QUORUM_NOT_MET',
    /multi-krum selects m = 6 updates but only 5 were given/,
  );
});

test('Krum rejects a multi-krum parameter', () => {
  assertFails(
    () => new KrumStrategy('krum', { m: 2 }),
    'INVALID_ARGUMENT',
    /strategy.params.m is not a parameter of krum \(allowed: f\)/,
  );
  assert.deepEqual(new KrumStrategy('multi-krum', { m: 2, f: 0 }).config, {
    name: 'multi-krum',
    params: { f: 0, m: 2 },
  });
});
