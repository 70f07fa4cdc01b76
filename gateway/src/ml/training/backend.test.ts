import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FedLedgerError } from '@fedledger/core';
import { NATIVE_DIR_ENV } from '../native/native-location';
import { BACKEND_ENV, initBackend } from './backend';

// An empty native directory: this file tests the machine without `npm run setup:native`, wherever it runs.
const emptyNativeDir = mkdtempSync(join(tmpdir(), 'fl-no-native-'));
process.env[NATIVE_DIR_ENV] = emptyNativeDir;

test('an unknown requested backend is INVALID_ARGUMENT', async () => {
  await assert.rejects(
    initBackend({ requested: 'gpu' }),
    new FedLedgerError(
      'INVALID_ARGUMENT',
      `${BACKEND_ENV}=gpu is not a backend; use one of tensorflow, wasm, cpu`,
    ),
  );
});

test('requesting tensorflow without the native setup is FAILED_PRECONDITION naming the setup command', async () => {
  await assert.rejects(
    initBackend({ requested: 'tensorflow' }),
    new FedLedgerError(
      'FAILED_PRECONDITION',
      `the requested tfjs backend "tensorflow" could not be initialised: the native cpu build is not set up in ${join(emptyNativeDir, 'cpu')} (run npm run setup:native)`,
    ),
  );
});

test('a backend outside the worker’s candidates is refused', async () => {
  await assert.rejects(initBackend({ requested: 'tensorflow', candidates: ['wasm', 'cpu'] }), {
    code: 'FAILED_PRECONDITION',
    message: /excludes this worker's backends \(wasm, cpu\)/,
  });
});

test('the automatic choice falls back to wasm, says why native is not used, and is chosen once', async () => {
  const saved = process.env[BACKEND_ENV];
  Reflect.deleteProperty(process.env, BACKEND_ENV);
  try {
    const choice = await initBackend();
    assert.equal(choice.backend, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(choice.wasmMatMulFix, true);
    assert.deepEqual(choice.notes, [
      `the native cpu build is not set up in ${join(emptyNativeDir, 'cpu')} (run npm run setup:native)`,
    ]);
    assert.equal(await initBackend({ requested: 'cpu' }), choice);
  } finally {
    if (saved !== undefined) {
      process.env[BACKEND_ENV] = saved;
    }
  }
});
