import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomUpdates } from './random-updates';

test('randomUpdates: seeded, sorted org ids, updates close to the base model', () => {
  const a = randomUpdates(50, 3, 1);
  const b = randomUpdates(50, 3, 1);
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.updates.map((u) => u.id),
    ['Org1MSP', 'Org2MSP', 'Org3MSP'],
  );
  assert.deepEqual(
    a.updates.map((u) => u.numSamples),
    [100, 110, 120],
  );
  for (const update of a.updates) {
    assert.equal(update.weights.length, 50);
    update.weights.forEach((w, i) => {
      assert.ok(Math.abs(w - a.previous[i]) <= 0.005 + 1e-7);
    });
  }
  assert.notDeepEqual(randomUpdates(50, 3, 2).previous, a.previous);
});
