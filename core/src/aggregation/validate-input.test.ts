import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import type { ClientUpdate } from './strategy';
import { readStateVector, sortById, validateAggregationInput } from './validate-input';

const previous = f32(0, 0);

test('returns the updates sorted by id in code-unit order, without touching the input', () => {
  const updates = [update('b', 1, [1, 1]), update('B', 1, [1, 1]), update('a', 1, [1, 1])];
  assert.deepEqual(
    validateAggregationInput({ updates, previous }).map((u) => u.id),
    ['B', 'a', 'b'],
  );
  assert.deepEqual(
    updates.map((u) => u.id),
    ['b', 'B', 'a'],
  );
  assert.deepEqual(
    sortById([{ id: 'x' }, { id: 'x' }]).map((u) => u.id),
    ['x', 'x'],
  );
});

test('no updates is QUORUM_NOT_MET; so is fewer than the strategy needs', () => {
  assertFails(
    () => validateAggregationInput({ updates: [], previous }),
    'QUORUM_NOT_MET',
    /needs at least 1 updates, got 0/,
  );
  assertFails(
    () => validateAggregationInput({ updates: [update('a', 1, [0, 0])], previous }, 3),
    'QUORUM_NOT_MET',
    /needs at least 3 updates, got 1/,
  );
});

test('updates and previous must have the right types', () => {
  assertFails(
    () => validateAggregationInput({ updates: 'x' as unknown as ClientUpdate[], previous }),
    'INVALID_ARGUMENT',
    /updates must be an array/,
  );
  assertFails(
    () =>
      validateAggregationInput({
        updates: [update('a', 1, [0, 0])],
        previous: [0, 0] as unknown as Float32Array,
      }),
    'INVALID_ARGUMENT',
    /previous must be a Float32Array/,
  );
  assertFails(
    () =>
      validateAggregationInput({
        updates: [
          { id: 'a', numSamples: 1, weights: Float64Array.from([0, 0]) as unknown as Float32Array },
        ],
        previous,
      }),
    'INVALID_ARGUMENT',
    /update a weights must be a Float32Array/,
  );
});

test('ids must be non-empty strings and unique', () => {
  assertFails(
    () => validateAggregationInput({ updates: [update('', 1, [0, 0])], previous }),
    'INVALID_ARGUMENT',
    /non-empty string id/,
  );
  assertFails(
    () =>
      validateAggregationInput({
        updates: [{ id: 7, numSamples: 1, weights: f32(0, 0) } as unknown as ClientUpdate],
        previous,
      }),
    'INVALID_ARGUMENT',
    /non-empty string id/,
  );
  assertFails(
    () =>
      validateAggregationInput({
        updates: [update('a', 1, [0, 0]), update('a', 2, [1, 1])],
        previous,
      }),
    'INVALID_ARGUMENT',
    /duplicate update id a/,
  );
});

test('numSamples must be a positive integer', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
    assertFails(
      () => validateAggregationInput({ updates: [update('a', bad, [0, 0])], previous }),
      'INVALID_ARGUMENT',
      /update a numSamples must be a positive integer/,
    );
  }
});

test('every update must have as many parameters as the previous model', () => {
  assertFails(
    () =>
      validateAggregationInput({
        updates: [update('a', 1, [0, 0]), update('b', 1, [0, 0, 0])],
        previous,
      }),
    'SHAPE_MISMATCH',
    /update b has 3 parameters; the previous model has 2/,
  );
});

test('NaN or infinite values in an update or in previous are NON_FINITE_VALUE', () => {
  assertFails(
    () => validateAggregationInput({ updates: [update('a', 1, [0, Number.NaN])], previous }),
    'NON_FINITE_VALUE',
    /update a has NaN at index 1/,
  );
  assertFails(
    () => validateAggregationInput({ updates: [update('a', 1, [-Infinity, 0])], previous }),
    'NON_FINITE_VALUE',
    /update a has -Infinity at index 0/,
  );
  assertFails(
    () =>
      validateAggregationInput({ updates: [update('a', 1, [0, 0])], previous: f32(Infinity, 0) }),
    'NON_FINITE_VALUE',
    /previous model has Infinity at index 0/,
  );
});

test('with several bad updates the reported error does not depend on input order', () => {
  const bad = [update('z', 0, [0, 0]), update('m', 1, [0]), update('c', 1, [Number.NaN, 0])];
  const messages = [bad, [...bad].reverse(), [bad[1], bad[2], bad[0]] as ClientUpdate[]].map(
    (updates) => {
      try {
        validateAggregationInput({ updates, previous });
        return 'no error';
      } catch (error) {
        return String(error);
      }
    },
  );
  assert.deepEqual(
    new Set(messages),
    new Set([
      'FedLedgerError: SHAPE_MISMATCH: update m has 1 parameters; the previous model has 2',
    ]),
  );
});

test('readStateVector returns undefined when the state or the key is absent', () => {
  assert.equal(readStateVector(undefined, 'm', 2), undefined);
  assert.equal(readStateVector({}, 'm', 2), undefined);
  assert.deepEqual(readStateVector({ m: f32(1, 2) }, 'm', 2), f32(1, 2));
});
