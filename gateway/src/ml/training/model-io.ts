import * as tf from '@tensorflow/tfjs';
import { decodeWeights, encodeWeights, FedLedgerError, type WeightTensor } from '@fedledger/core';

/** Builds an uncompiled layers model from `model.toJSON()` text; INVALID_ARGUMENT when it is not a tfjs layers topology. */
export async function modelFromTopology(topology: string): Promise<tf.LayersModel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(topology);
  } catch (error) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `model topology is not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'model topology must be a JSON object (what model.toJSON() returns)',
    );
  }
  try {
    return await tf.models.modelFromJSON({ modelTopology: parsed as tf.serialization.ConfigDict });
  } catch (error) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `model topology cannot be built: ${(error as Error).message}`,
    );
  }
}

/** Loads FLW1 weights into the model, checking tensor count and every shape first (SHAPE_MISMATCH). */
export function setModelWeights(model: tf.LayersModel, weights: Uint8Array): void {
  const tensors = decodeWeights(weights);
  const expected = model.weights.map((weight) => weight.shape);
  if (tensors.length !== expected.length) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `the model has ${expected.length} weight tensors but the weights hold ${tensors.length}`,
    );
  }
  tensors.forEach((tensor, i) => {
    const shape = expected[i] as number[];
    if (
      shape.length !== tensor.shape.length ||
      shape.some((dim, axis) => dim !== tensor.shape[axis])
    ) {
      throw new FedLedgerError(
        'SHAPE_MISMATCH',
        `weight ${i} (${model.weights[i]?.originalName ?? '?'}) has shape [${shape.join(',')}] but the weights hold [${tensor.shape.join(',')}]`,
      );
    }
  });
  const values = tensors.map((tensor) => tf.tensor(tensor.values, tensor.shape, 'float32'));
  try {
    model.setWeights(values);
  } finally {
    tf.dispose(values);
  }
}

/** Reads the model's weights (in `model.weights` order) as FLW1 bytes. */
export function getModelWeights(model: tf.LayersModel): Uint8Array {
  const tensors: WeightTensor[] = model.weights.map((weight) => ({
    shape: [...weight.shape] as number[],
    // Copied because on the cpu backend dataSync() returns the tensor's own buffer.
    values: Float32Array.from(weight.read().dataSync() as Float32Array),
  }));
  return encodeWeights(tensors);
}

/** Disposes a model together with its optimizer, which `model.dispose()` alone leaves behind. */
export function disposeModel(model: tf.LayersModel): void {
  const optimizer = (model as { optimizer?: tf.Optimizer }).optimizer;
  model.dispose();
  optimizer?.dispose();
}
