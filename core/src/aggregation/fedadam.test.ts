import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, f32, update } from '../testing/aggregation-fixtures';
import { FedAdamStrategy } from './fedadam';

test('FedAdam round 1 starts from m = 0 and v = τ²', () => {
  const strategy = new FedAdamStrategy({ serverLearningRate: 1, beta1: 0.5, beta2: 0.5, tau: 1 });
  const result = strategy.aggregate({
    updates: [update('a', 1, [2, 0]), update('b', 3, [2, 4])],
    previous: f32(0, 1),
  });
  // Δ = [2, 3 − 1 = 2]; m = 0.5·Δ = [1, 1]; v = 0.5·1 + 0.5·4 = [2.5, 2.5]; w = previous + 1/(√2.5 + 1)
  const step = 1 / (Math.sqrt(2.5) + 1);
  assert.deepEqual(result.weights, f32(step, 1 + step));
  assert.deepEqual(result.serverState, { m: f32(1, 1), v: f32(2.5, 2.5) });
  assert.deepEqual(
    result.diagnostics.map((d) => d.weight),
    [0.25, 0.75],
  );
});

test('FedAdam round 2 uses the carried moments', () => {
  const strategy = new FedAdamStrategy({
    serverLearningRate: 2,
    beta1: 0.5,
    beta2: 0.75,
    tau: 0.5,
  });
  const result = strategy.aggregate({
    updates: [update('a', 1, [1])],
    previous: f32(3),
    serverState: { m: f32(2), v: f32(8) },
  });
  // Δ = −2; m = 0.5·2 + 0.5·(−2) = 0; v = 0.75·8 + 0.25·4 = 7; w = 3 + 0
  assert.deepEqual(result.serverState, { m: f32(0), v: f32(7) });
  assert.deepEqual(result.weights, f32(3));
  const moving = strategy.aggregate({
    updates: [update('a', 1, [7])],
    previous: f32(3),
    serverState: { m: f32(2), v: f32(8) },
  });
  // Δ = 4; m = 1 + 2 = 3; v = 6 + 4 = 10; w = 3 + 2·3/(√10 + 0.5)
  assert.deepEqual(moving.weights, f32(3 + 6 / (Math.sqrt(10) + 0.5)));
});

test('FedAdam defaults: η = 0.1 (chosen by the server-lr bench, ADR 0017), β₁ = 0.9, β₂ = 0.99, τ = 1e-3', () => {
  const strategy = new FedAdamStrategy();
  assert.deepEqual(strategy.config, { name: 'fedadam' });
  const result = strategy.aggregate({ updates: [update('a', 1, [1])], previous: f32(0) });
  const m = 0.1;
  const v = 0.99 * 1e-6 + 0.01;
  assert.deepEqual(result.weights, f32((0.1 * m) / (Math.sqrt(v) + 1e-3)));
  assert.deepEqual(result.serverState, { m: f32(m), v: f32(v) });
});

test('FedAdam rejects a bad moment state', () => {
  const strategy = new FedAdamStrategy();
  const base = { updates: [update('a', 1, [1])], previous: f32(0) };
  assertFails(
    () => strategy.aggregate({ ...base, serverState: { v: f32(-1) } }),
    'INVALID_ARGUMENT',
    /serverState.v must not be negative/,
  );
  assertFails(
    () => strategy.aggregate({ ...base, serverState: { m: f32(1, 2) } }),
    'SHAPE_MISMATCH',
    /serverState.m has 2 values/,
  );
  assertFails(
    () => strategy.aggregate({ ...base, serverState: { m: [1] as unknown as Float32Array } }),
    'INVALID_ARGUMENT',
    /serverState.m must be a Float32Array/,
  );
  assertFails(
    () => strategy.aggregate({ ...base, serverState: { v: f32(Infinity) } }),
    'NON_FINITE_VALUE',
    /serverState.v has Infinity/,
  );
});

test('FedAdam refuses a result that overflows Float32', () => {
  const strategy = new FedAdamStrategy({ serverLearningRate: 1e38 });
  assertFails(
    () => strategy.aggregate({ updates: [update('a', 1, [3.4e38])], previous: f32(3e38) }),
    'NON_FINITE_VALUE',
    /FedAdam result has Infinity at index 0/,
  );
});
