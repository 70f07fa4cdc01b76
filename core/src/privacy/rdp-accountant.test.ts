import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deterministicLn } from './deterministic-log';
import { epsilonAfterRounds, roundsWithinBudget } from './rdp-accountant';

/**
 * Reference values printed by scripts/privacy/rdp_reference.py (Python standard library only):
 * ε = ρ + 2√(ρ ln(1/δ)), ρ = T/(2z²) — Bun & Steinke, "Concentrated Differential Privacy:
 * Simplifications, Extensions, and Lower Bounds", TCC 2016, Prop. 1.3 — which the script checks
 * against a brute-force minimisation of Mironov's conversion (CSF 2017, Prop. 3) over real orders.
 */
const REFERENCE = [
  { rounds: 1, noiseMultiplier: 1.0, delta: 1e-5, epsilon: 5.298525912188081 },
  { rounds: 3, noiseMultiplier: 1.0, delta: 1e-5, epsilon: 9.81129068134555 },
  { rounds: 10, noiseMultiplier: 1.1, delta: 1e-5, epsilon: 17.927023490278188 },
  { rounds: 100, noiseMultiplier: 4.0, delta: 1e-6, epsilon: 16.26630442439233 },
  { rounds: 5, noiseMultiplier: 0.5, delta: 0.001, epsilon: 26.6225813626911 },
  { rounds: 3, noiseMultiplier: 7.5, delta: 1e-5, epsilon: 1.1348387575127399 },
];

for (const { rounds, noiseMultiplier, delta, epsilon } of REFERENCE) {
  test(`ε after ${rounds} rounds at z = ${noiseMultiplier}, δ = ${delta} is within 1% of the reference ${epsilon.toFixed(4)} (never below)`, () => {
    const spent = epsilonAfterRounds(rounds, noiseMultiplier, delta).epsilon;
    assert.ok(spent >= epsilon * (1 - 1e-12), `${spent} is below the optimum over all orders`);
    assert.ok((spent - epsilon) / epsilon < 0.01, `${spent} vs ${epsilon}`);
  });
}

test('the accountant is deterministic and monotone in the rounds', () => {
  let previous = 0;
  for (let rounds = 1; rounds <= 20; rounds++) {
    const spent = epsilonAfterRounds(rounds, 2, 1e-5);
    assert.deepEqual(epsilonAfterRounds(rounds, 2, 1e-5), spent);
    assert.ok(spent.epsilon > previous);
    previous = spent.epsilon;
  }
  assert.equal(epsilonAfterRounds(0, 2, 1e-5).epsilon, 0);
});

test('roundsWithinBudget is the largest T whose ε fits', () => {
  const budget =
    (epsilonAfterRounds(3, 1.5, 1e-5).epsilon + epsilonAfterRounds(4, 1.5, 1e-5).epsilon) / 2;
  assert.equal(roundsWithinBudget(budget, 1.5, 1e-5, 100), 3);
  assert.equal(roundsWithinBudget(budget, 1.5, 1e-5, 2), 2);
  assert.equal(roundsWithinBudget(0.01, 1.5, 1e-5, 100), 0);
});

test('deterministicLn agrees with Math.log to 1e-15 relative', () => {
  for (const x of [1e-12, 1e-5, 0.3, 1, 1.5, 2, 3, Math.E, 10, 1e5, 123456.789, 1e300]) {
    const expected = Math.log(x);
    const actual = deterministicLn(x);
    assert.ok(
      Math.abs(actual - expected) <= 4e-16 * Math.max(1, Math.abs(expected)),
      `ln ${x}: ${actual} vs ${expected}`,
    );
  }
  assert.throws(() => deterministicLn(0), RangeError);
});
