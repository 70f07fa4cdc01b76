import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSeededRandom, seededPermutation } from './seeded-random';

test('the same seed gives the same sequence and another seed a different one', () => {
  const a = createSeededRandom(42);
  const b = createSeededRandom(42);
  const c = createSeededRandom(43);
  const first = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    Array.from({ length: 5 }, () => b.next()),
    first,
  );
  assert.notDeepEqual(
    Array.from({ length: 5 }, () => c.next()),
    first,
  );
  for (const value of first) {
    assert.ok(value >= 0 && value < 1);
  }
});

test('normal and gamma draws have the right means', () => {
  const random = createSeededRandom(7);
  const n = 20000;
  let normalSum = 0;
  let normalSquares = 0;
  let gammaSmall = 0;
  let gammaLarge = 0;
  for (let i = 0; i < n; i++) {
    const x = random.normal();
    normalSum += x;
    normalSquares += x * x;
    gammaSmall += random.gamma(0.3);
    gammaLarge += random.gamma(4);
  }
  assert.ok(Math.abs(normalSum / n) < 0.03);
  assert.ok(Math.abs(normalSquares / n - 1) < 0.05);
  assert.ok(Math.abs(gammaSmall / n - 0.3) < 0.03);
  assert.ok(Math.abs(gammaLarge / n - 4) < 0.1);
});

test('gamma rejects a non-positive shape', () => {
  assert.throws(
    () => createSeededRandom(1).gamma(0),
    /gamma shape must be a positive finite number, got 0/,
  );
});

test('seededPermutation is a permutation and reproducible', () => {
  const order = seededPermutation(50, createSeededRandom(3));
  assert.deepEqual(
    [...order].sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.deepEqual(seededPermutation(50, createSeededRandom(3)), order);
  assert.equal(createSeededRandom(9).int(1), 0);
});
