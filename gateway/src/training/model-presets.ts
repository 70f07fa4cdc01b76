import * as tf from '@tensorflow/tfjs';
import { encodeWeights, FedLedgerError, type WeightTensor } from '@fedledger/core';
import { createSeededRandom, type SeededRandom } from '../datasets/seeded-random';
import { disposeModel } from './model-io';

export const PRESET_NAMES = ['logistic-regression', 'mlp'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Hidden layer widths of the `mlp` preset when none are given (the demo model 12 → 32 → 16 → 1). */
export const DEFAULT_HIDDEN_UNITS: readonly number[] = [32, 16];

export interface PresetOptions {
  preset: PresetName;
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
 * hidden layers. Kernels are Glorot-uniform from a seeded generator and biases zero, so the same
 * options always give byte-identical weights. Throws INVALID_ARGUMENT on bad sizes or an unknown preset.
 */
export function buildPreset(options: PresetOptions): PresetModel {
  validate(options);
  const units = options.preset === 'mlp' ? [...(options.hiddenUnits ?? DEFAULT_HIDDEN_UNITS), 1] : [1];
  const model = tf.sequential({ name: options.preset.replace('-', '_') });
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
export function presetParamCount(options: Pick<PresetOptions, 'preset' | 'inputDim' | 'hiddenUnits'>): number {
  const units = options.preset === 'mlp' ? [...(options.hiddenUnits ?? DEFAULT_HIDDEN_UNITS), 1] : [1];
  let inputs = options.inputDim;
  let count = 0;
  for (const width of units) {
    count += inputs * width + width; // kernel + bias
    inputs = width;
  }
  return count;
}

/** Glorot-uniform for a 2-D kernel, zeros for a bias. */
function initialTensor(shape: number[], random: SeededRandom): WeightTensor {
  const size = shape.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(size);
  if (shape.length === 2) {
    const limit = Math.sqrt(6 / ((shape[0] as number) + (shape[1] as number)));
    for (let i = 0; i < size; i++) {
      values[i] = (2 * random.next() - 1) * limit;
    }
  }
  return { shape, values };
}

function validate(options: PresetOptions): void {
  if (!(PRESET_NAMES as readonly string[]).includes(options.preset)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `unknown preset "${options.preset}"; use one of ${PRESET_NAMES.join(', ')}`);
  }
  if (!Number.isInteger(options.inputDim) || options.inputDim < 1) {
    throw new FedLedgerError('INVALID_ARGUMENT', `inputDim must be a positive integer, got ${options.inputDim}`);
  }
  if (options.preset === 'logistic-regression' && options.hiddenUnits !== undefined && options.hiddenUnits.length > 0) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'logistic-regression has no hidden layers; omit hiddenUnits');
  }
  for (const width of options.hiddenUnits ?? []) {
    if (!Number.isInteger(width) || width < 1) {
      throw new FedLedgerError('INVALID_ARGUMENT', `hidden layer widths must be positive integers, got ${width}`);
    }
  }
  if (!Number.isInteger(options.seed)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `seed must be an integer, got ${options.seed}`);
  }
}
