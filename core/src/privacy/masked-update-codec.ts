import { FedLedgerError } from '../errors';

/**
 * Binary form of a masked update: magic `FLM1`, uint32 LE element count, then the elements as
 * uint32 LE (fixed-point values plus masks, modulo 2^32). Every uint32 is a valid element: masked
 * values are uniform on [0, 2^32), so the only checks possible on one update are its framing and its
 * length; the range check happens on the unmasked sum ({@link decodeFixedPointMean}).
 */
export const MASKED_MAGIC = 'FLM1';
const HEADER_BYTES = 8;

export function encodeMasked(values: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MASKED_MAGIC.charCodeAt(i);
  view.setUint32(4, values.length, true);
  for (let j = 0; j < values.length; j++) view.setUint32(HEADER_BYTES + 4 * j, values[j], true);
  return bytes;
}

/** Decodes and checks the framing; SHAPE_MISMATCH when the element count is not `expectedLength`. */
export function decodeMasked(bytes: Uint8Array, expectedLength: number, what: string): Uint32Array {
  if (
    bytes.length < HEADER_BYTES ||
    String.fromCharCode(...bytes.subarray(0, 4)) !== MASKED_MAGIC
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${what} is not a masked update (expected the ${MASKED_MAGIC} header)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  if (bytes.length !== HEADER_BYTES + 4 * count) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${what} declares ${count} elements but holds ${(bytes.length - HEADER_BYTES) / 4}`,
    );
  }
  if (count !== expectedLength) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `${what} has ${count} elements; the federation's model has ${expectedLength} parameters`,
    );
  }
  const values = new Uint32Array(count);
  for (let j = 0; j < count; j++) values[j] = view.getUint32(HEADER_BYTES + 4 * j, true);
  return values;
}
