import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '../errors';
import { decodeWeights, encodeWeights, startEncoding, type WeightTensor } from './codec';

/** Builds FLW1 bytes field by field, independently of the encoder. */
function handBuilt(fields: {
  magic?: string;
  version?: number;
  count?: number;
  header: number[];
  data: number[];
  extra?: number;
}): Uint8Array {
  const magic = fields.magic ?? 'FLW1';
  const bytes = new Uint8Array(
    12 + 4 * fields.header.length + 4 * fields.data.length + (fields.extra ?? 0),
  );
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = magic.charCodeAt(i);
  view.setUint32(4, fields.version ?? 1, true);
  view.setUint32(8, fields.count ?? 0, true);
  let offset = 12;
  for (const word of fields.header) {
    view.setUint32(offset, word, true);
    offset += 4;
  }
  for (const value of fields.data) {
    view.setFloat32(offset, value, true);
    offset += 4;
  }
  return bytes;
}

function assertInvalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FedLedgerError);
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    return true;
  });
}

const sample: WeightTensor[] = [
  { shape: [2, 3], values: new Float32Array([1, -2.5, 3.25, 0, -0, 1e-38]) },
  { shape: [], values: new Float32Array([7]) },
  { shape: [0, 4], values: new Float32Array(0) },
  {
    shape: [3],
    values: new Float32Array([Math.fround(0.1), -Math.fround(1e30), 1.401298464324817e-45]),
  },
];

test('encode then decode gives the same shapes and bit-identical values', () => {
  const decoded = decodeWeights(encodeWeights(sample));
  assert.equal(decoded.length, sample.length);
  decoded.forEach((tensor, i) => {
    const original = sample[i];
    assert.deepEqual(tensor.shape, original.shape);
    assert.deepEqual(
      new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength),
      new Uint8Array(
        original.values.buffer,
        original.values.byteOffset,
        original.values.byteLength,
      ),
    );
  });
  assert.ok(Object.is(decoded[0].values[4], -0), '-0 survives');
});

test('the encoding matches the documented layout byte for byte', () => {
  const actual = encodeWeights([
    { shape: [2, 1], values: new Float32Array([1.5, -0]) },
    { shape: [0], values: new Float32Array(0) },
  ]);
  assert.deepEqual(actual, handBuilt({ count: 2, header: [2, 2, 1, 1, 0], data: [1.5, -0] }));
});

test('an empty tensor list encodes to the bare 12-byte header', () => {
  const bytes = encodeWeights([]);
  assert.deepEqual(bytes, handBuilt({ count: 0, header: [], data: [] }));
  assert.deepEqual(decodeWeights(bytes), []);
});

test('decoding accepts a subarray that does not start at offset 0 of its buffer', () => {
  const bytes = encodeWeights(sample);
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  assert.deepEqual(decodeWeights(padded.subarray(3)), decodeWeights(bytes));
});

test('encoding rejects values that do not match the shape', () => {
  assertInvalid(
    () => encodeWeights([{ shape: [2, 2], values: new Float32Array(3) }]),
    /tensor 0 has shape \[2,2\] \(4 values\) but 3 values/,
  );
});

test('encoding rejects dims that are not uint32 integers', () => {
  assertInvalid(
    () => encodeWeights([{ shape: [1.5], values: new Float32Array(1) }]),
    /tensor 0 dim 0 is 1.5/,
  );
  assertInvalid(
    () => encodeWeights([{ shape: [-1], values: new Float32Array(0) }]),
    /tensor 0 dim 0 is -1/,
  );
  assertInvalid(
    () => encodeWeights([{ shape: [2 ** 32], values: new Float32Array(0) }]),
    /dim 0 is 4294967296/,
  );
  assertInvalid(
    () => encodeWeights([{ shape: [2 ** 32 - 1, 2 ** 32 - 1], values: new Float32Array(0) }]),
    /too many values/,
  );
});

test('decoding rejects input shorter than the fixed header', () => {
  assertInvalid(
    () => decodeWeights(new Uint8Array(11)),
    /11 bytes is shorter than the 12-byte header/,
  );
});

test('decoding rejects a wrong magic', () => {
  assertInvalid(
    () => decodeWeights(handBuilt({ magic: 'FLW2', header: [], data: [] })),
    /bad magic/,
  );
});

test('decoding rejects an unknown format version', () => {
  assertInvalid(
    () => decodeWeights(handBuilt({ version: 2, header: [], data: [] })),
    /unsupported format version 2/,
  );
});

test('decoding rejects a tensor count larger than the headers present', () => {
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 2, header: [1, 1], data: [5] })),
    /truncated header: tensor 1 dim 0/,
  );
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 3, header: [1, 0], data: [] })),
    /truncated header: tensor 1 rank/,
  );
});

test('decoding rejects dims whose product exceeds the data', () => {
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 1, header: [2, 2, 3], data: [1, 2, 3, 4, 5] })),
    /tensor 0 shape \[2,3\] needs more data/,
  );
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 1, header: [2, 65536, 65536], data: [] })),
    /needs more data/,
  );
});

test('decoding rejects absurd shapes whose size is not a safe integer', () => {
  const rank = 40;
  const header = [rank, ...new Array<number>(rank - 1).fill(0xffffffff), 0];
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 1, header, data: [] })),
    /tensor 0 shape has too many values/,
  );
});

test('decoding rejects trailing bytes after the data', () => {
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 1, header: [1, 2], data: [1, 2, 3] })),
    /4 trailing bytes after 2 Float32 values/,
  );
  assertInvalid(
    () => decodeWeights(handBuilt({ count: 1, header: [1, 2], data: [1, 2], extra: 2 })),
    /2 trailing bytes/,
  );
});

test('the incremental writer refuses more or fewer values than its shapes describe', () => {
  const tooMany = startEncoding([[2]]);
  assertInvalid(() => {
    tooMany.writeValues(new Float32Array(3));
  }, /more values than the shapes describe/);
  const tooFew = startEncoding([[2]]);
  tooFew.writeValues(new Float32Array(1));
  assertInvalid(() => tooFew.finish(), /fewer values than the shapes describe/);
});
