import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '../errors';
import { encodeWeights, type WeightTensor } from './codec';
import {
  decodeFlat,
  encodeFlat,
  flattenWeights,
  paramCount,
  unflattenWeights,
  viewFlat,
} from './flat';

const tensors: WeightTensor[] = [
  { shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) },
  { shape: [3], values: new Float32Array([-0, 5.5, -6]) },
  { shape: [], values: new Float32Array([9]) },
];

function hasCode(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof FedLedgerError);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('paramCount sums the products of dims (a scalar counts 1)', () => {
  assert.equal(paramCount([[2, 2], [3], []]), 8);
  assert.equal(paramCount([]), 0);
  assert.equal(paramCount([[0, 5]]), 0);
  assert.throws(() => paramCount([[2, -1]]), hasCode('INVALID_ARGUMENT', /tensor 0 dim 1 is -1/));
});

test('flatten concatenates in tensor order and unflatten restores the tensors', () => {
  const { shapes, flat } = flattenWeights(tensors);
  assert.deepEqual(shapes, [[2, 2], [3], []]);
  assert.deepEqual(flat, new Float32Array([1, 2, 3, 4, -0, 5.5, -6, 9]));
  assert.ok(Object.is(flat[4], -0));
  assert.deepEqual(unflattenWeights(shapes, flat), tensors);
});

test('unflatten copies rather than aliasing the flat vector', () => {
  const flat = new Float32Array([1, 2]);
  const [tensor] = unflattenWeights([[2]], flat);
  flat[0] = 99;
  assert.equal(tensor.values[0], 1);
});

test('flatten rejects a tensor whose values do not match its shape', () => {
  assert.throws(
    () => flattenWeights([{ shape: [3], values: new Float32Array(2) }]),
    hasCode('INVALID_ARGUMENT', /tensor 0 has shape \[3\] but 2 values/),
  );
});

test('unflatten and encodeFlat reject a vector of the wrong length', () => {
  assert.throws(
    () => unflattenWeights([[2, 2]], new Float32Array(3)),
    hasCode('SHAPE_MISMATCH', /describe 4 values but the vector has 3/),
  );
  assert.throws(
    () => encodeFlat([[2]], new Float32Array(3)),
    hasCode('SHAPE_MISMATCH', /describe 2 values but the vector has 3/),
  );
});

test('encodeFlat is byte-identical to encodeWeights, and decodeFlat inverts it', () => {
  const { shapes, flat } = flattenWeights(tensors);
  const bytes = encodeFlat(shapes, flat);
  assert.deepEqual(bytes, encodeWeights(tensors));
  const decoded = decodeFlat(bytes);
  assert.deepEqual(decoded.shapes, shapes);
  assert.deepEqual(new Uint8Array(decoded.flat.buffer), new Uint8Array(flat.buffer));
});

test('decodeFlat rejects malformed bytes with INVALID_ARGUMENT', () => {
  const bytes = encodeFlat([[2]], new Float32Array([1, 2]));
  assert.throws(
    () => decodeFlat(bytes.subarray(0, bytes.length - 1)),
    hasCode('INVALID_ARGUMENT', /malformed weights/),
  );
});

test('viewFlat shares aligned bytes and copies unaligned ones; both read the same values', () => {
  const shapes = [[2, 2], [3]];
  const values = Float32Array.from([1, -2, 3.5, -0, 5, 6, 7]);
  const bytes = encodeFlat(shapes, values);
  const shared = viewFlat(bytes);
  assert.deepEqual(shared, decodeFlat(bytes));
  assert.equal(shared.flat.buffer, bytes.buffer, 'aligned: a view, no copy');

  const unaligned = new Uint8Array(bytes.length + 1).subarray(1);
  unaligned.set(bytes);
  const copied = viewFlat(unaligned);
  assert.deepEqual(copied, decodeFlat(bytes));
  assert.notEqual(copied.flat.buffer, unaligned.buffer, 'unaligned: a copy');
});
