import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV, initBackend } from './backend';

test(`${BACKEND_ENV} overrides the automatic choice`, async () => {
  process.env[BACKEND_ENV] = 'cpu';
  try {
    const choice = await initBackend();
    assert.deepEqual(choice, { backend: 'cpu', wasmMatMulFix: false, notes: [] });
    assert.equal(tf.getBackend(), 'cpu');
  } finally {
    Reflect.deleteProperty(process.env, BACKEND_ENV);
  }
});
