import { FedLedgerError } from '../errors';

/** One tensor of a model: its shape and its values in row-major order. */
export interface WeightTensor {
  shape: number[];
  values: Float32Array;
}

/**
 * Binary layout of an encoded tensor list (format version 1). Every field is 4 bytes, so the
 * Float32 data always starts on a 4-byte boundary and no padding is needed:
 *
 * ```
 * offset  size        field
 * 0       4           magic, ASCII "FLW1"
 * 4       4           uint32 LE format version (= 1)
 * 8       4           uint32 LE tensor count T
 * 12      …           per tensor, in order: uint32 LE rank R, then R × uint32 LE dims
 * H       4 × Σ sizes Float32 LE values of every tensor, tensors in order, row-major
 * ```
 *
 * A tensor's size is the product of its dims (1 for rank 0). Nothing may follow the data.
 * The digest of a model is SHA-256 over exactly these bytes, so the layout must never change
 * under version 1.
 */
export const WEIGHTS_MAGIC = 'FLW1';
export const WEIGHTS_FORMAT_VERSION = 1;

const UINT32_BYTES = 4;
const FLOAT32_BYTES = 4;
const FIXED_HEADER_BYTES = 12;
const MAX_UINT32 = 0xffff_ffff;
/**
 * FLW1 stores little-endian Float32, which is the memory layout of a Float32Array on every host
 * Node runs on in practice; there values are copied as bytes instead of one DataView call per
 * value (the per-value loop took seconds per 25M-parameter model). Big-endian hosts keep the loop.
 */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Encodes tensors in the FLW1 format (see {@link WEIGHTS_MAGIC} for the layout). */
export function encodeWeights(tensors: readonly WeightTensor[]): Uint8Array {
  tensors.forEach((tensor, i) => {
    const size = tensorSize(tensor.shape, `tensor ${i}`);
    if (tensor.values.length !== size) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `tensor ${i} has shape [${tensor.shape.join(',')}] (${size} values) but ${tensor.values.length} values`,
      );
    }
  });
  const writer = startEncoding(tensors.map((tensor) => tensor.shape));
  for (const tensor of tensors) {
    writer.writeValues(tensor.values);
  }
  return writer.finish();
}

/** Decodes FLW1 bytes into tensors, validating every field; throws INVALID_ARGUMENT on malformed input. */
export function decodeWeights(bytes: Uint8Array): WeightTensor[] {
  const { shapes, flat } = decodeShapesAndData(bytes);
  const tensors: WeightTensor[] = [];
  let offset = 0;
  for (const shape of shapes) {
    const size = shape.reduce((product, dim) => product * dim, 1);
    tensors.push({ shape, values: flat.slice(offset, offset + size) });
    offset += size;
  }
  return tensors;
}

/** Size in bytes of the FLW1 encoding of tensors with these shapes (header plus 4 bytes per value). */
export function encodedWeightsBytes(shapes: readonly (readonly number[])[]): number {
  let bytes = FIXED_HEADER_BYTES;
  shapes.forEach((shape, i) => {
    bytes += UINT32_BYTES * (1 + shape.length) + FLOAT32_BYTES * tensorSize(shape, `tensor ${i}`);
  });
  return bytes;
}

/** Number of values in a tensor of this shape; rejects dims that are not uint32 integers. */
export function tensorSize(shape: readonly number[], what: string): number {
  let size = 1;
  shape.forEach((dim, axis) => {
    if (!Number.isInteger(dim) || dim < 0 || dim > MAX_UINT32) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${what} dim ${axis} is ${dim}; dims must be integers in [0, 2^32)`,
      );
    }
    size *= dim;
  });
  if (!Number.isSafeInteger(size)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${what} shape [${shape.join(',')}] has too many values`,
    );
  }
  return size;
}

/** Incremental FLW1 writer: header from the shapes, then values appended in tensor order. */
export interface WeightsWriter {
  writeValues(values: Float32Array): void;
  finish(): Uint8Array;
}

/** Starts an FLW1 encoding for these shapes (internal building block of the codec and flat helpers). */
export function startEncoding(shapes: readonly (readonly number[])[]): WeightsWriter {
  if (shapes.length > MAX_UINT32) {
    throw new FedLedgerError('INVALID_ARGUMENT', `too many tensors: ${shapes.length}`);
  }
  let headerBytes = FIXED_HEADER_BYTES;
  let valueCount = 0;
  shapes.forEach((shape, i) => {
    headerBytes += UINT32_BYTES * (1 + shape.length);
    valueCount += tensorSize(shape, `tensor ${i}`);
  });
  const totalBytes = headerBytes + FLOAT32_BYTES * valueCount;
  const bytes = new Uint8Array(totalBytes);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < WEIGHTS_MAGIC.length; i++) {
    bytes[i] = WEIGHTS_MAGIC.charCodeAt(i);
  }
  view.setUint32(4, WEIGHTS_FORMAT_VERSION, true);
  view.setUint32(8, shapes.length, true);
  let offset = FIXED_HEADER_BYTES;
  for (const shape of shapes) {
    view.setUint32(offset, shape.length, true);
    offset += UINT32_BYTES;
    for (const dim of shape) {
      view.setUint32(offset, dim, true);
      offset += UINT32_BYTES;
    }
  }
  return {
    writeValues(values: Float32Array): void {
      if (offset + FLOAT32_BYTES * values.length > totalBytes) {
        throw new FedLedgerError('INVALID_ARGUMENT', 'more values than the shapes describe');
      }
      if (LITTLE_ENDIAN_HOST) {
        bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
        offset += values.byteLength;
        return;
      }
      for (let i = 0; i < values.length; i++) {
        view.setFloat32(offset, values[i], true);
        offset += FLOAT32_BYTES;
      }
    },
    finish(): Uint8Array {
      if (offset !== totalBytes) {
        throw new FedLedgerError('INVALID_ARGUMENT', 'fewer values than the shapes describe');
      }
      return bytes;
    },
  };
}

/**
 * Parses and validates FLW1 bytes into shapes and one flat Float32Array of all values: a copy, or
 * with `share` a view of `bytes` where the host and alignment allow (see `viewFlat`).
 */
export function decodeShapesAndData(
  bytes: Uint8Array,
  options: { share?: boolean } = {},
): { shapes: number[][]; flat: Float32Array } {
  if (bytes.length < FIXED_HEADER_BYTES) {
    throw malformed(`${bytes.length} bytes is shorter than the ${FIXED_HEADER_BYTES}-byte header`);
  }
  for (let i = 0; i < WEIGHTS_MAGIC.length; i++) {
    if (bytes[i] !== WEIGHTS_MAGIC.charCodeAt(i)) {
      throw malformed(`bad magic; expected "${WEIGHTS_MAGIC}"`);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== WEIGHTS_FORMAT_VERSION) {
    throw malformed(`unsupported format version ${version}; expected ${WEIGHTS_FORMAT_VERSION}`);
  }
  const tensorCount = view.getUint32(8, true);
  let offset = FIXED_HEADER_BYTES;
  const readUint32 = (what: string): number => {
    if (offset + UINT32_BYTES > bytes.length) {
      throw malformed(
        `truncated header: ${what} at byte ${offset} is past the end (${bytes.length} bytes)`,
      );
    }
    const value = view.getUint32(offset, true);
    offset += UINT32_BYTES;
    return value;
  };
  const shapes: number[][] = [];
  let valueCount = 0;
  for (let t = 0; t < tensorCount; t++) {
    const rank = readUint32(`tensor ${t} rank`);
    const shape: number[] = [];
    let size = 1;
    for (let axis = 0; axis < rank; axis++) {
      const dim = readUint32(`tensor ${t} dim ${axis}`);
      shape.push(dim);
      size *= dim;
    }
    if (!Number.isSafeInteger(size)) {
      throw malformed(`tensor ${t} shape has too many values`);
    }
    valueCount += size;
    // Checked as we go so that absurd dims fail fast instead of overflowing later arithmetic.
    if (offset + FLOAT32_BYTES * valueCount > bytes.length) {
      throw malformed(
        `tensor ${t} shape [${shape.join(',')}] needs more data than the ${bytes.length - offset} bytes after its header`,
      );
    }
    shapes.push(shape);
  }
  const dataBytes = bytes.length - offset;
  if (dataBytes !== FLOAT32_BYTES * valueCount) {
    throw malformed(
      `${dataBytes - FLOAT32_BYTES * valueCount} trailing bytes after ${valueCount} Float32 values`,
    );
  }
  const start = bytes.byteOffset + offset;
  if (options.share === true && LITTLE_ENDIAN_HOST && start % FLOAT32_BYTES === 0) {
    return { shapes, flat: new Float32Array(bytes.buffer, start, valueCount) };
  }
  const flat = new Float32Array(valueCount);
  if (LITTLE_ENDIAN_HOST) {
    // The stored layout is the host's: one copy of the bytes (a large model decodes in milliseconds).
    new Uint8Array(flat.buffer).set(bytes.subarray(offset, offset + FLOAT32_BYTES * valueCount));
    offset += FLOAT32_BYTES * valueCount;
  } else {
    for (let i = 0; i < valueCount; i++) {
      flat[i] = view.getFloat32(offset, true);
      offset += FLOAT32_BYTES;
    }
  }
  return { shapes, flat };
}

function malformed(what: string): FedLedgerError {
  return new FedLedgerError('INVALID_ARGUMENT', `malformed weights: ${what}`);
}
