import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { f32 } from '../testing/aggregation-fixtures';
import {
  coordinateMedian,
  mean,
  pairwiseSquaredDistances,
  squaredDistance,
  toFloat32,
  trimmedMean,
  weightedMean,
  weightedMeanFloat32,
} from './math';

test('weightedMean divides the weighted sum by the total weight', () => {
  assert.deepEqual(weightedMean([f32(1, 2), f32(5, -2)], [1, 3]), Float64Array.from([4, -1]));
});

/** 1–6 weighted updates of 4 finite Float32 coordinates: vectors and weights. */
const weightedUpdates = fc
  .array(
    fc.tuple(
      fc
        .array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
          minLength: 4,
          maxLength: 4,
        })
        .map((values) => Float32Array.from(values)),
      fc.integer({ min: 1, max: 100_000 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((updates) => ({ vectors: updates.map(([v]) => v), weights: updates.map(([, w]) => w) }));

function assertSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  assert.equal(actual.length, expected.length);
  for (let j = 0; j < expected.length; j++)
    assert.ok(Object.is(actual[j], expected[j]), `coordinate ${j}: ${actual[j]} vs ${expected[j]}`);
}

test('weightedMean gives the bits of adding the weighted vectors one after the other (the order every peer uses)', () => {
  fc.assert(
    fc.property(weightedUpdates, ({ vectors, weights }) => {
      const expected = new Float64Array(4);
      const total = weights.reduce((sum, w) => sum + w, 0);
      for (const [i, v] of vectors.entries())
        for (let j = 0; j < 4; j++) expected[j] = expected[j] + weights[i] * v[j];
      for (let j = 0; j < 4; j++) expected[j] = expected[j] / total;
      assertSameBits(weightedMean(vectors, weights), expected);
    }),
  );
});

test('weightedMeanFloat32 has the bits of toFloat32(weightedMean(…)), signed zeros included', () => {
  fc.assert(
    fc.property(weightedUpdates, ({ vectors, weights }) => {
      const actual = weightedMeanFloat32(vectors, weights);
      assert.ok(actual instanceof Float32Array);
      assertSameBits(actual, toFloat32(weightedMean(vectors, weights)));
    }),
  );
  assert.ok(Object.is(weightedMeanFloat32([f32(-0), f32(-0)], [1, 2])[0], 0), '0 + -0 + -0 is +0');
});

test('mean is the unweighted average', () => {
  assert.deepEqual(mean([f32(1, 2), f32(2, 4), f32(3, 0)]), Float64Array.from([2, 2]));
});

test('weightedMean keeps Float64 precision until the caller rounds once', () => {
  // 0.1f + 0.2f in Float64 is not a Float32; rounding happens only in toFloat32.
  const sum = weightedMean([f32(0.1), f32(0.2)], [1, 1]);
  assert.equal(sum[0], (Math.fround(0.1) + Math.fround(0.2)) / 2);
  assert.equal(toFloat32(sum)[0], Math.fround((Math.fround(0.1) + Math.fround(0.2)) / 2));
});

test('coordinateMedian takes the middle value, or the midpoint of the two middle values', () => {
  const odd = [f32(1, 10), f32(2, -5), f32(100, 0)];
  assert.deepEqual(coordinateMedian(odd), Float64Array.from([2, 0]));
  assert.deepEqual(coordinateMedian([...odd, f32(3, 1)]), Float64Array.from([2.5, 0.5]));
  assert.deepEqual(coordinateMedian([f32(7, 8)]), Float64Array.from([7, 8]));
});

test('trimmedMean drops trim values from each end per coordinate', () => {
  const vectors = [f32(1, 50), f32(2, 40), f32(3, 30), f32(4, 20), f32(100, -1000)];
  assert.deepEqual(trimmedMean(vectors, 1), Float64Array.from([3, 30]));
  assert.deepEqual(trimmedMean(vectors, 2), Float64Array.from([3, 30]));
  assert.deepEqual(trimmedMean(vectors, 0), Float64Array.from([22, -172]));
});

test('pairwiseSquaredDistances is symmetric with a zero diagonal', () => {
  assert.deepEqual(pairwiseSquaredDistances([f32(0, 0), f32(3, 4), f32(0, 1)]), [
    [0, 25, 1],
    [25, 0, 18],
    [1, 18, 0],
  ]);
  assert.equal(squaredDistance(f32(1, 1), f32(2, 3)), 5);
});

test('empty vectors give empty results', () => {
  assert.deepEqual(weightedMean([f32()], [1]), new Float64Array(0));
  assert.deepEqual(coordinateMedian([f32()]), new Float64Array(0));
});

/** Median through the typed-array sort, the order the insertion sort must reproduce exactly. */
function referenceMedian(vectors: Float32Array[]): Float64Array {
  const result = new Float64Array(vectors[0]?.length ?? 0);
  for (let j = 0; j < result.length; j++) {
    const column = Float64Array.from(vectors, (vector) => vector[j]).sort();
    const middle = Math.floor(column.length / 2);
    result[j] =
      column.length % 2 === 1 ? column[middle] : (column[middle - 1] + column[middle]) / 2;
  }
  return result;
}

test('coordinateMedian: insertion sort (few vectors) and typed-array sort (many) agree bit for bit, signed zeros included', () => {
  const value = fc.oneof(
    fc.constant(0),
    fc.constant(-0),
    fc.float({ noNaN: true, noDefaultInfinity: true, min: -4, max: 4 }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 6 }),
      fc.infiniteStream(value),
      (count, width, values) => {
        const vectors = Array.from({ length: count }, () =>
          Float32Array.from({ length: width }, () => values.next().value as number),
        );
        const actual = coordinateMedian(vectors);
        const expected = referenceMedian(vectors);
        assert.deepEqual(new Uint8Array(actual.buffer), new Uint8Array(expected.buffer));
      },
    ),
    { numRuns: 300 },
  );
});
