import * as tf from '@tensorflow/tfjs';
import { encodeWeights, FedLedgerError, type WeightTensor } from '@fedledger/core';
import { createSeededRandom, type SeededRandom } from '../datasets/seeded-random';
import { addCnnLayers, cnnImageSide, cnnParamCount } from './cnn-preset';
import { disposeModel } from './model-io';

export const PRESET_NAMES = ['logistic-regression', 'mlp', 'cnn'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Hidden layer widths of the `mlp` preset when none are given (the demo model 12 → 32 → 16 → 1). */
export const DEFAULT_HIDDEN_UNITS: readonly number[] = [32, 16];

export interface PresetOptions {
  preset: PresetName;
  /** Number of feature columns; for `cnn` the pixels of a square image (see cnn-preset.ts). */
  inputDim: number;
  /** Only for `mlp`; defaults to {@link DEFAULT_HIDDEN_UNITS}. */
  hiddenUnits?: number[];
  seed: number;
}

export interface PresetModel {
  /** `model.toJSON()` text: the tfjs layers topology that goes into a federation's ModelSpec. */
  topology: string;
  /** FLW1-encoded initial weights, a pure function of the options. */
  initialWeights: Uint8Array;
}

/**
 * Builds a binary classifier (sigmoid output): `logistic-regression` is one dense unit, `mlp` adds ReLU
 * hidden layers, `cnn` is a small convolutional network over a square image (cnn-preset.ts). Kernels
 * (dense and convolution) are Glorot-uniform from a seeded generator and biases zero, so the same
 * options always give byte-identical weights. Throws INVALID_ARGUMENT on bad sizes or an unknown preset.
 */
export function buildPreset(options: PresetOptions): PresetModel {
  validate(options);
  const units =
    options.preset === 'mlp' ? [...(options.hiddenUnits ?? DEFAULT_HIDDEN_UNITS), 1] : [1];
  const model = tf.sequential({ name: options.preset.replace('-', '_') });
  if (options.preset === 'cnn') addCnnLayers(model, options.inputDim);
  else
    units.forEach((width, i) => {
      const isOutput = i === units.length - 1;
      model.add(
        tf.layers.dense({
          units: width,
          activation: isOutput ? 'sigmoid' : 'relu',
          name: isOutput ? 'output' : `hidden_${i + 1}`,
          ...(i === 0 ? { inputShape: [options.inputDim] } : {}),
        }),
      );
    });
  try {
    const topology = model.toJSON(undefined, true) as string;
    const random = createSeededRandom(options.seed);
    const tensors = model.weights.map((weight) => initialTensor(weight.shape as number[], random));
    return { topology, initialWeights: encodeWeights(tensors) };
  } finally {
    disposeModel(model);
  }
}

/**
 * The preset's parameter count, from its options alone (no tensors), so a size limit can be
 * checked before {@link buildPreset} allocates anything. Same layer layout as buildPreset.
 */
export function presetParamCount(
  options: Pick<PresetOptions, 'preset' | 'inputDim' | 'hiddenUnits'>,
): number {
  if (options.preset === 'cnn') return cnnParamCount(options.inputDim);
  const units =
    options.preset === 'mlp' ? [...(options.hiddenUnits ?? DEFAULT_HIDDEN_UNITS), 1] : [1];
  let inputs = options.inputDim;
  let count = 0;
  for (const width of units) {
    count += inputs * width + width; // kernel + bias
    inputs = width;
  }
  return count;
}

/**
 * Glorot-uniform for a dense kernel [in, out] or a 2-D convolution kernel [h, w, in, out] (fan-in and
 * fan-out count the receptive field, as Keras does), zeros for a bias.
 */
function initialTensor(shape: number[], random: SeededRandom): WeightTensor {
  const size = shape.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(size);
  if (shape.length === 2 || shape.length === 4) {
    const receptive = shape.length === 4 ? shape[0] * shape[1] : 1;
    const fanIn = receptive * shape[shape.length - 2];
    const fanOut = receptive * shape[shape.length - 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) {
      values[i] = (2 * random.next() - 1) * limit;
    }
  }
  return { shape, values };
}

function validate(options: PresetOptions): void {
  if (!(PRESET_NAMES as readonly string[]).includes(options.preset)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `unknown preset "${options.preset}"; use one of ${PRESET_NAMES.join(', ')}`,
    );
  }
  if (!Number.isInteger(options.inputDim) || options.inputDim < 1) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `inputDim must be a positive integer, got ${options.inputDim}`,
    );
  }
  if (
    options.preset !== 'mlp' &&
    options.hiddenUnits !== undefined &&
    options.hiddenUnits.length > 0
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${options.preset} has no configurable hidden layers; omit hiddenUnits`,
    );
  }
  if (options.preset === 'cnn') cnnImageSide(options.inputDim);
  for (const width of options.hiddenUnits ?? []) {
    if (!Number.isInteger(width) || width < 1) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `hidden layer widths must be positive integers, got ${width}`,
      );
    }
  }
  if (!Number.isInteger(options.seed)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `seed must be an integer, got ${options.seed}`);
  }
}
