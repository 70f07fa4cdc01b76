import { FedLedgerError } from '../errors';
import { decodeShapesAndData, startEncoding, tensorSize, type WeightTensor } from './codec';

/**
 * Flat view of a model: aggregation works on one Float32Array holding every tensor's values in
 * tensor order, with the shapes kept alongside to rebuild the tensors.
 */
export interface FlatWeights {
  shapes: number[][];
  flat: Float32Array;
}

/** Total number of values across tensors of these shapes. */
export function paramCount(shapes: readonly (readonly number[])[]): number {
  let total = 0;
  shapes.forEach((shape, i) => {
    total += tensorSize(shape, `tensor ${i}`);
  });
  return total;
}

/** Concatenates the tensors' values, in order, into one Float32Array. */
export function flattenWeights(tensors: readonly WeightTensor[]): FlatWeights {
  const shapes = tensors.map((tensor) => [...tensor.shape]);
  const flat = new Float32Array(paramCount(shapes));
  let offset = 0;
  tensors.forEach((tensor, i) => {
    if (tensor.values.length !== tensorSize(tensor.shape, `tensor ${i}`)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `tensor ${i} has shape [${tensor.shape.join(',')}] but ${tensor.values.length} values`,
      );
    }
    flat.set(tensor.values, offset);
    offset += tensor.values.length;
  });
  return { shapes, flat };
}

/** Splits a flat vector back into tensors of the given shapes (copies; the input is not aliased). */
export function unflattenWeights(
  shapes: readonly (readonly number[])[],
  flat: Float32Array,
): WeightTensor[] {
  const expected = paramCount(shapes);
  if (flat.length !== expected) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `shapes describe ${expected} values but the vector has ${flat.length}`,
    );
  }
  const tensors: WeightTensor[] = [];
  let offset = 0;
  for (const shape of shapes) {
    const size = tensorSize(shape, 'tensor');
    tensors.push({ shape: [...shape], values: flat.slice(offset, offset + size) });
    offset += size;
  }
  return tensors;
}

/** Encodes a flat vector with its shapes in the FLW1 format, byte-identical to `encodeWeights(unflattenWeights(...))`. */
export function encodeFlat(shapes: readonly (readonly number[])[], flat: Float32Array): Uint8Array {
  const expected = paramCount(shapes);
  if (flat.length !== expected) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `shapes describe ${expected} values but the vector has ${flat.length}`,
    );
  }
  const writer = startEncoding(shapes);
  writer.writeValues(flat);
  return writer.finish();
}

/** Decodes FLW1 bytes into shapes and one flat vector; throws INVALID_ARGUMENT on malformed input. */
export function decodeFlat(bytes: Uint8Array): FlatWeights {
  return decodeShapesAndData(bytes);
}

/**
 * {@link decodeFlat} for a reader that only reads: where it can, the vector is a view of `bytes`
 * (no copy; the FLW1 header keeps the values 4-byte aligned), so it changes if `bytes` do, and
 * writing to it writes to `bytes`. A copy otherwise (a big-endian host, unaligned bytes).
 */
export function viewFlat(bytes: Uint8Array): FlatWeights {
  return decodeShapesAndData(bytes, { share: true });
}
