import * as tf from '@tensorflow/tfjs';
import { FedLedgerError, type HyperParameters } from '@fedledger/core';
import { createSeededRandom, seededPermutation } from '../datasets/seeded-random';
import { binaryMetrics } from './binary-metrics';
import { disposeModel, getModelWeights, modelFromTopology, setModelWeights } from './model-io';

/**
 * Local training, evaluation and prediction for binary classifiers (one sigmoid output). These are
 * plain async functions on the current tfjs backend with no Nest or worker dependencies, so the worker,
 * the demo and the benchmarks all call the same code. Every tensor they create is disposed before they
 * return, the optimizer included.
 */

export interface LabeledMatrix {
  /** Row-major, `labels.length × numFeatures` values. */
  features: Float32Array;
  /** 0 or 1 per row. */
  labels: Float32Array;
  numFeatures: number;
}

export interface TrainLocalInput extends LabeledMatrix {
  topology: string;
  /** FLW1-encoded starting (global) weights. */
  weights: Uint8Array;
  hyperParameters: HyperParameters;
  /** Fixes the batch order: the same seed and data give the same batches. */
  seed: number;
}

export interface TrainProgressEvent {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** 1-based batch within the epoch. */
  batch: number;
  batches: number;
  /** Mean training loss over the epoch's batches so far. */
  loss: number;
}

export interface TrainLocalResult {
  weights: Uint8Array;
  numSamples: number;
  /** Loss and accuracy of the trained model on the training data. */
  metrics: { loss: number; accuracy: number };
  seconds: number;
}

export interface EvaluateInput extends LabeledMatrix {
  topology: string;
  weights: Uint8Array;
}

export interface EvaluateResult {
  numSamples: number;
  /** `loss`, `accuracy`, and `auc` when both classes are present (AUC is undefined otherwise). */
  metrics: Record<string, number>;
}

export interface PredictInput {
  topology: string;
  weights: Uint8Array;
  rows: number[][];
}

/** How many rows go through the model at once when only predicting. */
const INFERENCE_CHUNK_ROWS = 4096;

/** Progress is reported about this many times per epoch (and always at an epoch's last batch). */
const PROGRESS_REPORTS_PER_EPOCH = 20;

/**
 * Trains from the given weights with Adam at `learningRate` on binary cross-entropy, in mini-batches
 * whose order comes from `seed`. With `proximalMu` > 0 the loss gets FedProx's μ/2·‖w − w_global‖²
 * (Li et al., 2020), w_global being the starting weights. Throws INVALID_ARGUMENT on bad inputs,
 * SHAPE_MISMATCH when the weights or features do not fit the model, NON_FINITE_VALUE when training diverges.
 */
export async function trainLocal(
  input: TrainLocalInput,
  onProgress: (event: TrainProgressEvent) => void = () => undefined,
): Promise<TrainLocalResult> {
  const started = performance.now();
  const numSamples = checkMatrix(input);
  const { epochs, batchSize, learningRate } = input.hyperParameters;
  const proximalMu = input.hyperParameters.proximalMu ?? 0;
  checkHyperParameters(input.hyperParameters, proximalMu);
  if (!Number.isInteger(input.seed)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `seed must be an integer, got ${input.seed}`);
  }

  const model = await loadModel(input.topology, input.weights, input.numFeatures);
  const optimizer = tf.train.adam(learningRate);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const globals = proximalMu > 0 ? variables.map((variable) => tf.clone(variable)) : [];
  try {
    const random = createSeededRandom(input.seed);
    const batches = Math.ceil(numSamples / batchSize);
    const reportEvery = Math.max(1, Math.ceil(batches / PROGRESS_REPORTS_PER_EPOCH));
    for (let epoch = 1; epoch <= epochs; epoch++) {
      // Shuffling once per epoch in JS and slicing contiguous batches is cheaper than a gather per batch.
      const shuffled = shuffledCopy(input, seededPermutation(numSamples, random));
      let lossSum = 0;
      try {
        for (let batch = 1; batch <= batches; batch++) {
          const start = (batch - 1) * batchSize;
          const size = Math.min(batchSize, numSamples - start);
          const cost = optimizer.minimize(
            () => {
              const predictions = model.apply(tf.slice(shuffled.features, [start, 0], [size, -1]), {
                training: true,
              }) as tf.Tensor;
              const dataLoss = tf.mean(
                tf.metrics.binaryCrossentropy(
                  tf.slice(shuffled.labels, [start, 0], [size, 1]),
                  predictions,
                ),
              );
              if (proximalMu === 0) {
                return dataLoss as tf.Scalar;
              }
              const distance = tf.addN(
                variables.map((variable, i) =>
                  tf.sum(tf.square(tf.sub(variable, globals[i] as tf.Tensor))),
                ),
              );
              return tf.add<tf.Scalar>(dataLoss, tf.mul(proximalMu / 2, distance));
            },
            true,
            variables,
          ) as tf.Scalar;
          lossSum += cost.dataSync()[0];
          cost.dispose();
          if (batch % reportEvery === 0 || batch === batches) {
            onProgress({ epoch, epochs, batch, batches, loss: lossSum / batch });
          }
        }
      } finally {
        tf.dispose([shuffled.features, shuffled.labels]);
      }
      // Lets the worker answer other messages (predictions, health) between epochs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // A diverged model must fail here, not later as a rejected update on the ledger.
    const diverged = model.weights.findIndex(
      (weight) => !(weight.read().dataSync() as Float32Array).every(Number.isFinite),
    );
    if (diverged >= 0) {
      throw new FedLedgerError(
        'NON_FINITE_VALUE',
        `training diverged: weight ${model.weights[diverged]?.originalName} has non-finite values; lower learningRate or check the data`,
      );
    }
    const metrics = binaryMetrics(predictProbabilities(model, input), input.labels);
    return {
      weights: getModelWeights(model),
      numSamples,
      metrics: { loss: metrics.loss, accuracy: metrics.accuracy },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    tf.dispose(globals);
    optimizer.dispose();
    disposeModel(model);
  }
}

/** Loss, accuracy and AUC of the model on labelled data; FAILED_PRECONDITION on zero rows. */
export async function evaluate(input: EvaluateInput): Promise<EvaluateResult> {
  const numSamples = checkMatrix(input);
  const model = await loadModel(input.topology, input.weights, input.numFeatures);
  try {
    const { loss, accuracy, auc } = binaryMetrics(predictProbabilities(model, input), input.labels);
    return {
      numSamples,
      metrics: Number.isNaN(auc) ? { loss, accuracy } : { loss, accuracy, auc },
    };
  } finally {
    disposeModel(model);
  }
}

/** The model's outputs for `rows` (one array per row; one probability for the binary presets). */
export async function predict(input: PredictInput): Promise<number[][]> {
  const model = await modelFromTopology(input.topology);
  try {
    setModelWeights(model, input.weights);
    const numFeatures = modelInputWidth(model);
    const flat = new Float32Array(input.rows.length * numFeatures);
    input.rows.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== numFeatures) {
        throw new FedLedgerError(
          'INVALID_ARGUMENT',
          `row ${r} has ${Array.isArray(row) ? row.length : 'no'} values; the model takes ${numFeatures}`,
        );
      }
      row.forEach((value, c) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new FedLedgerError(
            'INVALID_ARGUMENT',
            `row ${r} value ${c} is not a finite number`,
          );
        }
        flat[r * numFeatures + c] = value;
      });
    });
    if (input.rows.length === 0) {
      return [];
    }
    const features = tf.tensor2d(flat, [input.rows.length, numFeatures]);
    try {
      const outputs = tf.tidy(() => model.predict(features) as tf.Tensor2D);
      const values = outputs.arraySync();
      outputs.dispose();
      return values;
    } finally {
      features.dispose();
    }
  } finally {
    disposeModel(model);
  }
}

/** The rows of `data` in `order`, as tensors. */
function shuffledCopy(
  data: LabeledMatrix,
  order: Uint32Array,
): { features: tf.Tensor2D; labels: tf.Tensor2D } {
  const width = data.numFeatures;
  const features = new Float32Array(order.length * width);
  const labels = new Float32Array(order.length);
  order.forEach((row, position) => {
    features.set(data.features.subarray(row * width, (row + 1) * width), position * width);
    labels[position] = data.labels[row];
  });
  return {
    features: tf.tensor2d(features, [order.length, width]),
    labels: tf.tensor2d(labels, [order.length, 1]),
  };
}

/** First output column of the model for every row of `data`, computed in chunks. */
function predictProbabilities(model: tf.LayersModel, data: LabeledMatrix): Float32Array {
  const rows = data.labels.length;
  const result = new Float32Array(rows);
  for (let start = 0; start < rows; start += INFERENCE_CHUNK_ROWS) {
    const size = Math.min(INFERENCE_CHUNK_ROWS, rows - start);
    const chunk = tf.tidy(() => {
      const features = tf.tensor2d(
        data.features.subarray(start * data.numFeatures, (start + size) * data.numFeatures),
        [size, data.numFeatures],
      );
      const output = model.predict(features) as tf.Tensor;
      return tf.reshape(tf.slice(output, [0, 0], [size, 1]), [size]);
    });
    result.set(chunk.dataSync(), start);
    chunk.dispose();
  }
  return result;
}

async function loadModel(
  topology: string,
  weights: Uint8Array,
  numFeatures: number,
): Promise<tf.LayersModel> {
  const model = await modelFromTopology(topology);
  try {
    setModelWeights(model, weights);
    const width = modelInputWidth(model);
    if (width !== numFeatures) {
      throw new FedLedgerError(
        'SHAPE_MISMATCH',
        `the model takes ${width} features but the data has ${numFeatures}`,
      );
    }
    return model;
  } catch (error) {
    disposeModel(model);
    throw error;
  }
}

function modelInputWidth(model: tf.LayersModel): number {
  const shape = model.inputs.at(0)?.shape;
  const width = shape?.[shape.length - 1];
  if (model.inputs.length !== 1 || shape?.length !== 2 || typeof width !== 'number') {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'the model must take one input of shape [batch, features]',
    );
  }
  return width;
}

/** Validates a labelled matrix and returns its row count. */
function checkMatrix(data: LabeledMatrix): number {
  const rows = data.labels.length;
  if (!Number.isInteger(data.numFeatures) || data.numFeatures < 1) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `numFeatures must be a positive integer, got ${data.numFeatures}`,
    );
  }
  if (data.features.length !== rows * data.numFeatures) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${data.features.length} feature values do not make ${rows} rows of ${data.numFeatures}`,
    );
  }
  if (rows === 0) {
    throw new FedLedgerError('FAILED_PRECONDITION', 'the dataset has no rows');
  }
  return rows;
}

function checkHyperParameters(hyperParameters: HyperParameters, proximalMu: number): void {
  const { epochs, batchSize, learningRate } = hyperParameters;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `epochs must be a positive integer, got ${epochs}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `learningRate must be a positive finite number, got ${learningRate}`,
    );
  }
  if (!(proximalMu >= 0) || !Number.isFinite(proximalMu)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `proximalMu must be a finite number ≥ 0, got ${proximalMu}`,
    );
  }
}
