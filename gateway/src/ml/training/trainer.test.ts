import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { decodeWeights, encodeWeights, FedLedgerError } from '@fedledger/core';
import { prepareDataset, type PreparedDataset } from '../datasets/prepared-dataset';
import { generateSyntheticClinical } from '../datasets/synthetic-clinical';
import { initBackend } from './backend';
import { buildPreset } from './model-presets';
import {
  evaluate,
  predict,
  trainLocal,
  type TrainLocalInput,
  type TrainProgressEvent,
} from './trainer';

let data: PreparedDataset;
const model = buildPreset({ preset: 'mlp', inputDim: 12, seed: 3 });

before(async () => {
  assert.equal((await initBackend({ requested: 'wasm' })).backend, 'wasm');
  data = prepareDataset(generateSyntheticClinical({ rows: 1500, seed: 21 }), {
    validationFraction: 0.3,
    seed: 1,
  });
});

function input(overrides: Partial<TrainLocalInput> = {}): TrainLocalInput {
  return {
    topology: model.topology,
    weights: model.initialWeights,
    features: data.train.features,
    labels: data.train.labels,
    numFeatures: 12,
    hyperParameters: { epochs: 4, batchSize: 32, learningRate: 0.01 },
    seed: 5,
    ...overrides,
  };
}

function validation(
  weights: Uint8Array,
): Promise<{ numSamples: number; metrics: Record<string, number> }> {
  return evaluate({
    topology: model.topology,
    weights,
    features: data.validation.features,
    labels: data.validation.labels,
    numFeatures: 12,
  });
}

function squaredDistance(a: Uint8Array, b: Uint8Array): number {
  const x = decodeWeights(a).flatMap((t) => Array.from(t.values));
  const y = decodeWeights(b).flatMap((t) => Array.from(t.values));
  return x.reduce((sum, value, i) => sum + (value - y[i]) ** 2, 0);
}

test('training on the synthetic task lowers the loss and beats the untrained model and the majority class', async () => {
  const progress: TrainProgressEvent[] = [];
  const result = await trainLocal(input(), (event) => progress.push(event));
  assert.equal(result.numSamples, data.train.labels.length);
  const untrained = await validation(model.initialWeights);
  const trained = await validation(result.weights);
  assert.equal(trained.numSamples, data.validation.labels.length);
  assert.ok(
    trained.metrics['loss'] < untrained.metrics['loss'] - 0.05,
    JSON.stringify({ untrained, trained }),
  );
  const positives =
    data.validation.labels.reduce((s, y) => s + y, 0) / data.validation.labels.length;
  assert.ok(
    trained.metrics['accuracy'] > Math.max(positives, 1 - positives) + 0.03,
    JSON.stringify(trained),
  );
  assert.ok(trained.metrics['auc'] > 0.75);
  // Progress: every epoch ends with its last batch, and the epoch loss falls from first to last epoch.
  const ends = progress.filter((event) => event.batch === event.batches);
  assert.deepEqual(
    ends.map((event) => event.epoch),
    [1, 2, 3, 4],
  );
  assert.ok(ends[3].loss < ends[0].loss);
  assert.equal(ends[0]?.batches, Math.ceil(data.train.labels.length / 32));
  assert.ok(result.metrics.accuracy > 0.6 && result.metrics.loss > 0 && result.seconds > 0);
});

test('training is deterministic in the seed and the batch order depends on it', async () => {
  const epochs = { epochs: 1, batchSize: 64, learningRate: 0.01 };
  const a = await trainLocal(input({ hyperParameters: epochs }));
  const b = await trainLocal(input({ hyperParameters: epochs }));
  const c = await trainLocal(input({ hyperParameters: epochs, seed: 6 }));
  assert.deepEqual(a.weights, b.weights);
  assert.notDeepEqual(a.weights, c.weights);
});

test('FedProx (μ > 0) keeps the local model closer to the global weights', async () => {
  const hyperParameters = { epochs: 2, batchSize: 32, learningRate: 0.01 };
  const plain = await trainLocal(input({ hyperParameters: { ...hyperParameters, proximalMu: 0 } }));
  const proximal = await trainLocal(
    input({ hyperParameters: { ...hyperParameters, proximalMu: 1 } }),
  );
  const plainDistance = squaredDistance(plain.weights, model.initialWeights);
  const proximalDistance = squaredDistance(proximal.weights, model.initialWeights);
  assert.ok(
    proximalDistance < 0.8 * plainDistance,
    `μ=1: ${proximalDistance}, μ=0: ${plainDistance}`,
  );
});

test('two training calls, an evaluation and a prediction leave no tensors behind', async () => {
  const before = tf.memory().numTensors;
  const hyperParameters = { epochs: 1, batchSize: 100, learningRate: 0.01 };
  await trainLocal(input({ hyperParameters }));
  await trainLocal(input({ hyperParameters: { ...hyperParameters, proximalMu: 0.1 } }));
  await validation(model.initialWeights);
  await predict({
    topology: model.topology,
    weights: model.initialWeights,
    rows: [Array.from(data.train.features.subarray(0, 12))],
  });
  assert.equal(tf.memory().numTensors, before);
});

test('predict returns one probability per row, matching evaluate', async () => {
  const rows = [0, 1, 2].map((r) =>
    Array.from(data.validation.features.subarray(r * 12, r * 12 + 12)),
  );
  const outputs = await predict({ topology: model.topology, weights: model.initialWeights, rows });
  assert.equal(outputs.length, 3);
  for (const output of outputs) {
    assert.equal(output.length, 1);
    assert.ok(output[0] > 0 && output[0] < 1);
  }
  assert.deepEqual(
    await predict({ topology: model.topology, weights: model.initialWeights, rows: [] }),
    [],
  );
  await assert.rejects(
    predict({ topology: model.topology, weights: model.initialWeights, rows: [[1, 2]] }),
    new FedLedgerError('INVALID_ARGUMENT', 'row 0 has 2 values; the model takes 12'),
  );
  const bad = [...rows[0]];
  bad[3] = NaN;
  await assert.rejects(
    predict({ topology: model.topology, weights: model.initialWeights, rows: [bad] }),
    new FedLedgerError('INVALID_ARGUMENT', 'row 0 value 3 is not a finite number'),
  );
});

test('bad inputs fail with stable codes and leak nothing', async () => {
  const before = tf.memory().numTensors;
  const logistic = buildPreset({ preset: 'logistic-regression', inputDim: 12, seed: 1 });
  const expectError = async (
    overrides: Partial<TrainLocalInput>,
    code: string,
    reason: string,
  ): Promise<void> => {
    await assert.rejects(trainLocal(input(overrides)), (error: unknown) => {
      assert.ok(error instanceof FedLedgerError);
      assert.equal(error.code, code);
      assert.equal(error.reason, reason);
      return true;
    });
  };
  await expectError(
    { weights: logistic.initialWeights },
    'SHAPE_MISMATCH',
    'the model has 6 weight tensors but the weights hold 2',
  );
  await expectError(
    {
      topology: logistic.topology,
      weights: buildPreset({ preset: 'logistic-regression', inputDim: 3, seed: 1 }).initialWeights,
    },
    'SHAPE_MISMATCH',
    'weight 0 (output/kernel) has shape [12,1] but the weights hold [3,1]',
  );
  await expectError(
    {
      topology: buildPreset({ preset: 'mlp', inputDim: 5, seed: 1 }).topology,
      weights: buildPreset({ preset: 'mlp', inputDim: 5, seed: 1 }).initialWeights,
    },
    'SHAPE_MISMATCH',
    'the model takes 5 features but the data has 12',
  );
  await expectError(
    { topology: 'not json' },
    'INVALID_ARGUMENT',
    'model topology is not JSON: Unexpected token \'o\', "not json" is not valid JSON',
  );
  await expectError(
    { topology: '[1]' },
    'INVALID_ARGUMENT',
    'model topology must be a JSON object (what model.toJSON() returns)',
  );
  await expectError(
    { hyperParameters: { epochs: 0, batchSize: 1, learningRate: 0.1 } },
    'INVALID_ARGUMENT',
    'epochs must be a positive integer, got 0',
  );
  await expectError(
    { hyperParameters: { epochs: 1, batchSize: 1.5, learningRate: 0.1 } },
    'INVALID_ARGUMENT',
    'batchSize must be a positive integer, got 1.5',
  );
  await expectError(
    { hyperParameters: { epochs: 1, batchSize: 1, learningRate: -1 } },
    'INVALID_ARGUMENT',
    'learningRate must be a positive finite number, got -1',
  );
  await expectError(
    { hyperParameters: { epochs: 1, batchSize: 1, learningRate: 0.1, proximalMu: -1 } },
    'INVALID_ARGUMENT',
    'proximalMu must be a finite number ≥ 0, got -1',
  );
  await expectError({ seed: 1.5 }, 'INVALID_ARGUMENT', 'seed must be an integer, got 1.5');
  await expectError(
    { labels: new Float32Array(3) },
    'INVALID_ARGUMENT',
    `${data.train.features.length} feature values do not make 3 rows of 12`,
  );
  await expectError(
    { features: new Float32Array(0), labels: new Float32Array(0) },
    'FAILED_PRECONDITION',
    'the dataset has no rows',
  );
  await expectError(
    { numFeatures: 0 },
    'INVALID_ARGUMENT',
    'numFeatures must be a positive integer, got 0',
  );
  const poisoned = decodeWeights(model.initialWeights);
  (poisoned[0] as { values: Float32Array }).values[0] = NaN;
  await expectError(
    {
      weights: encodeWeights(poisoned),
      hyperParameters: { epochs: 1, batchSize: 500, learningRate: 0.01 },
    },
    'NON_FINITE_VALUE',
    'training diverged: weight hidden_1/kernel has non-finite values; lower learningRate or check the data',
  );
  assert.equal(tf.memory().numTensors, before);
});
