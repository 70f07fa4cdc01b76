import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { decodeWeights, FedLedgerError } from '@fedledger/core';
import { modelFromTopology, disposeModel } from './model-io';
import { profileModel } from './model-profile';
import { buildPreset, presetParamCount } from './model-presets';

test('the cnn preset over 14×14 images: conv 8 → pool → conv 16 → pool → 32 → 1, counted before building', async () => {
  const preset = buildPreset({ preset: 'cnn', inputDim: 196, seed: 3 });
  const tensors = decodeWeights(preset.initialWeights);
  assert.deepEqual(
    tensors.map((t) => t.shape),
    [[3, 3, 1, 8], [8], [3, 3, 8, 16], [16], [64, 32], [32], [32, 1], [1]],
  );
  const count = tensors.reduce((sum, t) => sum + t.values.length, 0);
  assert.equal(presetParamCount({ preset: 'cnn', inputDim: 196 }), count);
  // Convolution kernels are Glorot-uniform over the receptive field, not left at zero.
  const limit = Math.sqrt(6 / (3 * 3 * 8 + 3 * 3 * 16));
  assert.ok(
    tensors[2]?.values.some((v) => v !== 0) &&
      tensors[2]?.values.every((v) => Math.abs(v) <= limit),
  );
  const model = await modelFromTopology(preset.topology);
  assert.equal(model.countParams(), count);
  disposeModel(model);
  assert.deepEqual(await profileModel(preset.topology), {
    paramCount: count,
    layerClasses: [
      'Reshape',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dense',
    ],
  });
  assert.equal(tf.memory().numTensors, 0);
});

test('the cnn preset refuses a non-square or too small input and hidden widths', () => {
  for (const inputDim of [12, 195, 81]) {
    assert.throws(
      () => buildPreset({ preset: 'cnn', inputDim, seed: 1 }),
      (error: unknown) =>
        error instanceof FedLedgerError &&
        error.code === 'INVALID_ARGUMENT' &&
        /square image of at least 10×10/.test(error.reason),
    );
    assert.throws(() => presetParamCount({ preset: 'cnn', inputDim }), {
      code: 'INVALID_ARGUMENT',
    });
  }
  assert.throws(() => buildPreset({ preset: 'cnn', inputDim: 196, hiddenUnits: [8], seed: 1 }), {
    code: 'INVALID_ARGUMENT',
    message: /cnn has no configurable hidden layers/,
  });
});
