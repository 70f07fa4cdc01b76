import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FedLedgerError } from '@fedledger/core';
import { buildPreset } from './model-presets';
import { predict } from './trainer';
import { fromTfjsArtifacts, toTfjsArtifacts, WEIGHTS_BIN } from './tfjs-artifacts';

test('artifacts load with tf.loadLayersModel and convert back byte-identically', async () => {
  await tf.setBackend('cpu');
  const { topology, initialWeights } = buildPreset({
    preset: 'mlp',
    inputDim: 4,
    hiddenUnits: [3],
    seed: 2,
  });
  const { modelJson, weightsBin } = await toTfjsArtifacts(topology, initialWeights);
  assert.equal(modelJson.format, 'layers-model');
  assert.deepEqual(modelJson.weightsManifest[0]?.paths, [WEIGHTS_BIN]);
  assert.equal(weightsBin.byteLength, 4 * (4 * 3 + 3 + 3 * 1 + 1));

  // What a tfjs user does with the two files.
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0]?.weights,
      weightData: weightsBin.slice().buffer,
    }),
  );
  const rows = [[0.1, -0.2, 0.3, 1.5]];
  const direct = tf.tidy(() => (loaded.predict(tf.tensor2d(rows)) as tf.Tensor).arraySync());
  assert.deepEqual(direct, await predict({ topology, weights: initialWeights, rows }));
  loaded.dispose();

  const back = await fromTfjsArtifacts(JSON.parse(JSON.stringify(modelJson)), weightsBin);
  assert.deepEqual(back.weights, initialWeights);
  assert.deepEqual(JSON.parse(back.topology), JSON.parse(topology));
  assert.equal(tf.memory().numTensors, 0);
});

test('malformed artifacts are INVALID_ARGUMENT', async () => {
  await assert.rejects(
    fromTfjsArtifacts({}, new Uint8Array(0)),
    new FedLedgerError(
      'INVALID_ARGUMENT',
      'model.json must have a modelTopology object and a weightsManifest array',
    ),
  );
  const { topology, initialWeights } = buildPreset({
    preset: 'logistic-regression',
    inputDim: 2,
    seed: 1,
  });
  const { modelJson } = await toTfjsArtifacts(topology, initialWeights);
  await assert.rejects(
    fromTfjsArtifacts(modelJson, new Uint8Array(4)),
    (error: unknown) =>
      error instanceof FedLedgerError &&
      error.code === 'INVALID_ARGUMENT' &&
      error.reason.startsWith(`model.json and ${WEIGHTS_BIN} do not load:`),
  );
});
