import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createSeededRandom } from '../datasets/seeded-random';
import { patchWasmBatchMatMul } from './wasm-batch-matmul';

function values(shape: number[], seed: number): Float32Array {
  const random = createSeededRandom(seed);
  return Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random.normal());
}

async function products(backend: string): Promise<Float32Array[]> {
  assert.equal(await tf.setBackend(backend), true);
  const results: Float32Array[] = [];
  // [a shape, b shape, transposeA, transposeB] covering every flag combination, rank 2 and 3.
  const cases: [number[], number[], boolean, boolean][] = [
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[2, 5, 7], [2, 5, 3], true, false],
    [[2, 7, 5], [2, 3, 5], false, true],
    [[1, 4], [1, 6], true, false],
  ];
  cases.forEach(([aShape, bShape, transposeA, transposeB], i) => {
    const product = tf.tidy(() =>
      tf.matMul(
        tf.tensor(values(aShape, i), aShape),
        tf.tensor(values(bShape, 100 + i), bShape),
        transposeA,
        transposeB,
      ),
    );
    results.push(Float32Array.from(product.dataSync()));
    product.dispose();
  });
  return results;
}

test('the transpose-first wasm BatchMatMul matches the cpu backend and leaks nothing', async () => {
  const expected = await products('cpu');
  patchWasmBatchMatMul();
  patchWasmBatchMatMul(); // idempotent
  const tensorsBefore = tf.memory().numTensors;
  await tf.setBackend('wasm');
  const dataIdsBefore = tf.engine().backend.numDataIds();
  const actual = await products('wasm');
  assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(actual.length, expected.length);
  actual.forEach((product, i) => {
    const reference = expected[i];
    assert.equal(product.length, reference.length);
    product.forEach((value, k) => {
      assert.ok(Math.abs(value - reference[k]) < 1e-5, `case ${i} element ${k}`);
    });
  });
});

test('gradients through the patched kernel match the cpu backend', async () => {
  const gradient = async (backend: string): Promise<Float32Array> => {
    await tf.setBackend(backend);
    const x = tf.tensor(values([8, 4], 1), [8, 4]);
    const initial = tf.tensor(values([4, 3], 2), [4, 3]);
    const w = tf.variable(initial, true, `w_${backend}`);
    initial.dispose();
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, w))), [w]);
    const result = Float32Array.from(grads[w.name].dataSync());
    tf.dispose([x, w, value, ...Object.values(grads)]);
    return result;
  };
  const reference = await gradient('cpu');
  patchWasmBatchMatMul();
  const patched = await gradient('wasm');
  patched.forEach((value, k) => {
    assert.ok(Math.abs(value - reference[k]) < 1e-4 * Math.max(1, Math.abs(value)));
  });
  assert.equal(tf.memory().numTensors, 0);
});
