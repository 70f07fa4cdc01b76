import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { decodeWeights, FedLedgerError } from '@fedledger/core';
import { buildPreset } from './model-presets';

test('presets are byte-identical for a seed and differ across seeds', () => {
  const a = buildPreset({ preset: 'mlp', inputDim: 12, seed: 7 });
  const b = buildPreset({ preset: 'mlp', inputDim: 12, seed: 7 });
  assert.equal(a.topology, b.topology);
  assert.deepEqual(a.initialWeights, b.initialWeights);
  assert.notDeepEqual(
    buildPreset({ preset: 'mlp', inputDim: 12, seed: 8 }).initialWeights,
    a.initialWeights,
  );
  assert.equal(tf.memory().numTensors, 0);
});

test('the default mlp is 12 → 32 → 16 → 1 with Glorot-uniform kernels and zero biases', () => {
  const tensors = decodeWeights(
    buildPreset({ preset: 'mlp', inputDim: 12, seed: 1 }).initialWeights,
  );
  assert.deepEqual(
    tensors.map((t) => t.shape),
    [[12, 32], [32], [32, 16], [16], [16, 1], [1]],
  );
  const limit = Math.sqrt(6 / (12 + 32));
  assert.ok(tensors[0]?.values.every((v) => Math.abs(v) <= limit));
  assert.ok(tensors[0]?.values.some((v) => v !== 0));
  assert.ok(tensors[1]?.values.every((v) => v === 0));
  const topology = JSON.parse(buildPreset({ preset: 'mlp', inputDim: 12, seed: 1 }).topology) as {
    class_name: string;
    config: { layers: Array<{ config: { activation?: string } }> };
  };
  assert.equal(topology.class_name, 'Sequential');
  assert.equal(topology.config.layers.at(-1)?.config.activation, 'sigmoid');
});

test('logistic regression is one sigmoid unit; custom hidden widths are honoured', () => {
  const logistic = decodeWeights(
    buildPreset({ preset: 'logistic-regression', inputDim: 5, seed: 1 }).initialWeights,
  );
  assert.deepEqual(
    logistic.map((t) => t.shape),
    [[5, 1], [1]],
  );
  const custom = decodeWeights(
    buildPreset({ preset: 'mlp', inputDim: 3, hiddenUnits: [4], seed: 1 }).initialWeights,
  );
  assert.deepEqual(
    custom.map((t) => t.shape),
    [[3, 4], [4], [4, 1], [1]],
  );
});

test('bad options are INVALID_ARGUMENT', () => {
  const reason = (options: Parameters<typeof buildPreset>[0], expected: string): void => {
    assert.throws(() => buildPreset(options), new FedLedgerError('INVALID_ARGUMENT', expected));
  };
  reason(
    { preset: 'rnn' as 'mlp', inputDim: 3, seed: 1 },
    'unknown preset "rnn"; use one of logistic-regression, mlp, cnn',
  );
  reason({ preset: 'mlp', inputDim: 0, seed: 1 }, 'inputDim must be a positive integer, got 0');
  reason(
    { preset: 'mlp', inputDim: 3, hiddenUnits: [0], seed: 1 },
    'hidden layer widths must be positive integers, got 0',
  );
  reason(
    { preset: 'logistic-regression', inputDim: 3, hiddenUnits: [4], seed: 1 },
    'logistic-regression has no configurable hidden layers; omit hiddenUnits',
  );
  reason({ preset: 'mlp', inputDim: 3, seed: 0.5 }, 'seed must be an integer, got 0.5');
});
