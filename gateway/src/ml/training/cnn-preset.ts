import * as tf from '@tensorflow/tfjs';
import { FedLedgerError } from '@fedledger/core';

/**
 * The `cnn` preset: a small convolutional binary classifier for square grey-scale images given as
 * `side × side` pixel columns (row-major), e.g. 196 columns for 14 × 14 digits. Reshape → two 3×3
 * ReLU convolutions (8 and 16 filters), each followed by 2×2 max pooling → a 32-unit ReLU layer →
 * one sigmoid unit. Its convolutions train only on the native backend (see backend-policy.ts).
 */
export const CNN_FILTERS = [8, 16] as const;
export const CNN_KERNEL = 3;
export const CNN_DENSE_UNITS = 32;
/** Below this side the second pooling has nothing left to pool. */
export const CNN_MIN_SIDE = 10;

/** The image side for `inputDim` pixel columns; INVALID_ARGUMENT unless it is a square of at least {@link CNN_MIN_SIDE}². */
export function cnnImageSide(inputDim: number): number {
  const side = Math.round(Math.sqrt(inputDim));
  if (!Number.isInteger(inputDim) || side * side !== inputDim || side < CNN_MIN_SIDE) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `the cnn preset takes a square image of at least ${CNN_MIN_SIDE}×${CNN_MIN_SIDE} pixels as columns; ${inputDim} feature columns is not one (e.g. 196 for 14×14)`,
    );
  }
  return side;
}

/** Side of the feature map after each convolution ('valid' padding) and 2×2 pooling. */
function mapSides(side: number): number[] {
  const sides: number[] = [];
  let current = side;
  for (let i = 0; i < CNN_FILTERS.length; i++) {
    current = Math.floor((current - CNN_KERNEL + 1) / 2);
    sides.push(current);
  }
  return sides;
}

/** Parameter count of the cnn preset for `inputDim` pixel columns, without building it. */
export function cnnParamCount(inputDim: number): number {
  const side = cnnImageSide(inputDim);
  let channels = 1;
  let count = 0;
  for (const filters of CNN_FILTERS) {
    count += CNN_KERNEL * CNN_KERNEL * channels * filters + filters;
    channels = filters;
  }
  const last = mapSides(side)[CNN_FILTERS.length - 1];
  const flat = last * last * channels;
  return count + flat * CNN_DENSE_UNITS + CNN_DENSE_UNITS + CNN_DENSE_UNITS + 1;
}

/** Adds the cnn preset's layers to an empty sequential model. */
export function addCnnLayers(model: tf.Sequential, inputDim: number): void {
  const side = cnnImageSide(inputDim);
  model.add(
    tf.layers.reshape({ targetShape: [side, side, 1], inputShape: [inputDim], name: 'image' }),
  );
  CNN_FILTERS.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        filters,
        kernelSize: CNN_KERNEL,
        activation: 'relu',
        name: `conv_${i + 1}`,
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2, name: `pool_${i + 1}` }));
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ units: CNN_DENSE_UNITS, activation: 'relu', name: 'hidden_1' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'output' }));
}
