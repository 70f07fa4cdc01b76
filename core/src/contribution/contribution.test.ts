import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allCoalitions,
  coalitionKey,
  EXACT_SHAPLEY_MAX_ORGS,
  MONTE_CARLO_PERMUTATIONS,
  requiredCoalitions,
  seededPermutations,
} from './coalitions';
import { allocateCredits, rewardWeight } from './rewards';
import { shapleyValues } from './shapley';
import { cosineToAggregate } from './signals';

test('coalitions: one sorted key per subset, 2^n of them up to 8 orgs', () => {
  assert.equal(coalitionKey(['B', 'A']), 'A,B');
  assert.deepEqual(allCoalitions(['B', 'A']), ['', 'A', 'B', 'A,B']);
  assert.equal(requiredCoalitions(['A', 'B', 'C', 'D', 'E', 'F'], 'tx').length, 64);
  assert.equal(EXACT_SHAPLEY_MAX_ORGS, 8);
  const eight = ['O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8'];
  assert.deepEqual(requiredCoalitions(eight, 'tx-1'), allCoalitions(eight));
  assert.equal(
    shapleyValues(eight, new Map(allCoalitions(eight).map((key) => [key, 0])), 'tx-1').method,
    'exact',
  );
});

test('beyond 8 orgs: prefixes of permutations seeded from the transaction id, same for the same id', () => {
  const orgs = ['O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9'];
  const a = requiredCoalitions(orgs, 'tx-1');
  assert.deepEqual(requiredCoalitions([...orgs].reverse(), 'tx-1'), a);
  assert.notDeepEqual(requiredCoalitions(orgs, 'tx-2'), a);
  assert.ok(a.includes('') && a.includes(coalitionKey(orgs)));
  assert.ok(a.length < 512 && a.length <= MONTE_CARLO_PERMUTATIONS * 8 + 2);
  assert.equal(seededPermutations(orgs, 'tx-1', 3).length, 3);
});

test('exact Shapley on a hand-computed 3-player game', () => {
  // v(∅)=0, v(A)=v(B)=0.2, v(C)=0, v(AB)=0.6, v(AC)=v(BC)=0.2, v(ABC)=0.6: C adds nothing.
  const v = new Map([
    ['', 0],
    ['A', 0.2],
    ['B', 0.2],
    ['C', 0],
    ['A,B', 0.6],
    ['A,C', 0.2],
    ['B,C', 0.2],
    ['A,B,C', 0.6],
  ]);
  const result = shapleyValues(['C', 'A', 'B'], v, 'unused');
  assert.equal(result.method, 'exact');
  assert.ok(Math.abs(result.values['A'] - 0.3) < 1e-12);
  assert.ok(Math.abs(result.values['B'] - 0.3) < 1e-12);
  assert.ok(Math.abs(result.values['C']) < 1e-12);
  // Efficiency: the values sum to v(N) − v(∅).
  assert.ok(Math.abs(Object.values(result.values).reduce((a, b) => a + b, 0) - 0.6) < 1e-12);
});

test('Monte-Carlo Shapley beyond 8 orgs: deterministic, efficient, exact on an additive game', () => {
  const orgs = ['O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9'];
  const worth = (key: string): number =>
    key === '' ? 0 : key.split(',').reduce((sum, org) => sum + Number(org.slice(1)) / 100, 0);
  const v = new Map(requiredCoalitions(orgs, 'tx-9').map((key) => [key, worth(key)]));
  const result = shapleyValues(orgs, v, 'tx-9');
  assert.equal(result.method, 'monte-carlo');
  assert.equal(result.permutations, MONTE_CARLO_PERMUTATIONS);
  for (const org of orgs)
    assert.ok(Math.abs(result.values[org] - Number(org.slice(1)) / 100) < 1e-12);
  assert.deepEqual(shapleyValues(orgs, v, 'tx-9'), result);
  assert.throws(() => shapleyValues(orgs, new Map([['', 0]]), 'tx-9'), /INTERNAL: no utility/);
});

test('credits: proportional to positive scores, largest remainder, sum exact, negatives earn nothing', () => {
  assert.deepEqual(allocateCredits(10, { A: 0.2, B: 0.1, C: -0.5 }), { A: 7, B: 3, C: 0 });
  assert.deepEqual(allocateCredits(100, { A: 1, B: 1, C: 1 }), { A: 34, B: 33, C: 33 });
  assert.deepEqual(allocateCredits(5, { A: -1, B: 0 }), { A: 0, B: 0 });
  assert.throws(
    () => allocateCredits(0, { A: 1 }),
    /INVALID_ARGUMENT: credits must be a positive integer/,
  );
  assert.throws(() => allocateCredits(1.5, { A: 1 }), /INVALID_ARGUMENT/);
});

test('cosine to the aggregate: agreeing, opposing, and a zero step', () => {
  const previous = new Float32Array([0, 0]);
  const aggregate = new Float32Array([1, 0]);
  assert.equal(cosineToAggregate(new Float32Array([2, 0]), previous, aggregate), 1);
  assert.equal(cosineToAggregate(new Float32Array([-3, 0]), previous, aggregate), -1);
  assert.equal(cosineToAggregate(previous, previous, aggregate), 0);
});

test('reward weight: positive Shapley times positive cosine; a zero or opposing step earns nothing', () => {
  assert.equal(rewardWeight(0.2, 0.5), 0.1);
  assert.equal(rewardWeight(0.2, 0), 0);
  assert.equal(rewardWeight(0.2, -0.3), 0);
  assert.equal(rewardWeight(-0.1, 0.9), 0);
});
