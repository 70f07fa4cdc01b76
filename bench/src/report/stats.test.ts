import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, ratio } from './stats';

test('median of odd and even counts, unsorted input left untouched', () => {
  const values = [3, 1, 2];
  assert.equal(median(values), 2);
  assert.deepEqual(values, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
});

test('median of nothing throws', () => {
  assert.throws(() => median([]), RangeError);
});

test('ratio is NaN for a zero denominator', () => {
  assert.equal(ratio(6, 3), 2);
  assert.ok(Number.isNaN(ratio(1, 0)));
});
