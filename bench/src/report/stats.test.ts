import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, ratio, timeRepeats } from './stats';

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

test('timeRepeats runs the function once per repeat with its index', async () => {
  const seen: number[] = [];
  const seconds = await timeRepeats(3, (repeat) => {
    seen.push(repeat);
  });
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(seconds.length, 3);
  assert.ok(seconds.every((s) => s >= 0));
});
