import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStandardizer, fitStandardizer } from './standardizer';

test('fits population statistics per column and maps constant columns to 0', () => {
  // Columns: [1, 3] (mean 2, std 1) and [5, 5] (constant).
  const features = Float32Array.from([1, 5, 3, 5]);
  const standardizer = fitStandardizer(features, 2);
  assert.deepEqual(Array.from(standardizer.means), [2, 5]);
  assert.deepEqual(Array.from(standardizer.stds), [1, 1]);
  assert.deepEqual(Array.from(applyStandardizer(features, standardizer)), [-1, 0, 1, 0]);
  assert.deepEqual(Array.from(applyStandardizer(Float32Array.from([4, 7]), standardizer)), [2, 2]);
});

test('an empty matrix gives zero means and unit deviations', () => {
  const standardizer = fitStandardizer(new Float32Array(0), 2);
  assert.deepEqual(Array.from(standardizer.means), [0, 0]);
  assert.deepEqual(Array.from(standardizer.stds), [1, 1]);
});
