import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FedLedgerError } from '@fedledger/core';
import { BACKEND_ENV, initBackend } from './backend';

function nativeInstalled(): boolean {
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require.resolve(name);
      return true;
    } catch {
      // not installed
    }
  }
  return false;
}

test('an unknown requested backend is INVALID_ARGUMENT', async () => {
  await assert.rejects(initBackend({ requested: 'gpu' }), new FedLedgerError('INVALID_ARGUMENT', `${BACKEND_ENV}=gpu is not a backend; use one of tensorflow, wasm, cpu`));
});

test('requesting tensorflow without a native package is FAILED_PRECONDITION', { skip: nativeInstalled() ? 'a native tfjs package is installed here' : false }, async () => {
  await assert.rejects(
    initBackend({ requested: 'tensorflow' }),
    new FedLedgerError('FAILED_PRECONDITION', 'the requested tfjs backend "tensorflow" could not be initialised (install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node)'),
  );
});

test('the automatic choice is the best available backend, reported as really active, and chosen once', async () => {
  const saved = process.env[BACKEND_ENV];
  delete process.env[BACKEND_ENV];
  try {
    const choice = await initBackend();
    const expected = nativeInstalled() ? 'tensorflow' : 'wasm';
    assert.equal(choice.backend, expected);
    assert.equal(tf.getBackend(), expected);
    assert.equal(choice.wasmMatMulFix, expected === 'wasm');
    assert.equal(await initBackend({ requested: 'cpu' }), choice);
  } finally {
    if (saved !== undefined) {
      process.env[BACKEND_ENV] = saved;
    }
  }
});
