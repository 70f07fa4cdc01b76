import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile } from './percentile';
import { median } from './stats';

test('percentile interpolates between the closest ranks and leaves its input untouched', () => {
  const values = [40, 10, 30, 20];
  assert.equal(percentile(values, 0), 10);
  assert.equal(percentile(values, 100), 40);
  assert.equal(percentile(values, 50), 25);
  assert.equal(percentile(values, 25), 17.5);
  assert.deepEqual(values, [40, 10, 30, 20]);
});

test('p50 is the median; p95 of 1..50 lies between the 47th and 48th values', () => {
  const values = Array.from({ length: 50 }, (_, i) => 50 - i);
  assert.equal(percentile(values, 50), median(values));
  assert.ok(Math.abs(percentile(values, 95) - 47.55) < 1e-9);
  assert.equal(percentile([7], 95), 7);
});

test('percentile of nothing or outside 0..100 throws', () => {
  assert.throws(() => percentile([], 50), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
  assert.throws(() => percentile([1], Number.NaN), RangeError);
});
