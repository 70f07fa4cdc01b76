import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FedLedgerError } from '@fedledger/core';
import { NATIVE_PARAM_THRESHOLD, planBackend, type AvailableBackends } from './backend-policy';

const BOTH: AvailableBackends = { portable: 'wasm', native: 'tensorflow', nativeReason: null };
const WASM_ONLY: AvailableBackends = {
  portable: 'wasm',
  native: null,
  nativeReason: 'the native cpu build is not set up',
};
const DENSE = ['InputLayer', 'Dense', 'Dense'];
const CNN = ['Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense'];

test('small dense models train on wasm even when native is there', () => {
  assert.deepEqual(planBackend({ paramCount: 961, layerClasses: DENSE }, BOTH).pool, 'portable');
});

test('dense models from the threshold up train on native when it is there, on wasm otherwise', () => {
  assert.equal(
    planBackend({ paramCount: NATIVE_PARAM_THRESHOLD, layerClasses: DENSE }, BOTH).pool,
    'native',
  );
  assert.equal(
    planBackend({ paramCount: NATIVE_PARAM_THRESHOLD - 1, layerClasses: DENSE }, BOTH).pool,
    'portable',
  );
  assert.equal(
    planBackend({ paramCount: NATIVE_PARAM_THRESHOLD, layerClasses: DENSE }, WASM_ONLY).pool,
    'portable',
  );
});

test('convolutional models train on native whatever their size', () => {
  const plan = planBackend({ paramCount: 500, layerClasses: CNN }, BOTH);
  assert.deepEqual(plan, {
    pool: 'native',
    backend: 'tensorflow',
    why: 'Conv2D layers train only on the native backend',
  });
});

test('a convolutional model without native is BACKEND_UNAVAILABLE with the layers, the reason and the remedy', () => {
  assert.throws(
    () => planBackend({ paramCount: 500, layerClasses: [...CNN, 'Embedding'] }, WASM_ONLY),
    (error: unknown) => {
      assert.ok(error instanceof FedLedgerError);
      assert.equal(error.code, 'BACKEND_UNAVAILABLE');
      assert.equal(
        error.reason,
        'the model has Conv2D, Embedding layers, which train only on the native TensorFlow backend (wasm lacks their gradient kernels), and this gateway has none: ' +
          "the native cpu build is not set up. Run npm run setup:native on this gateway's host and restart it, or choose a dense model",
      );
      assert.deepEqual(error.details, {
        layers: ['Conv2D', 'Embedding'],
        nativeReason: 'the native cpu build is not set up',
      });
      return true;
    },
  );
});

test('with only native, dense models use it; with nothing, BACKEND_UNAVAILABLE', () => {
  assert.equal(
    planBackend(
      { paramCount: 10, layerClasses: DENSE },
      { portable: null, native: 'tensorflow', nativeReason: null },
    ).pool,
    'native',
  );
  assert.throws(
    () =>
      planBackend(
        { paramCount: 10, layerClasses: DENSE },
        { portable: null, native: null, nativeReason: 'x' },
      ),
    { code: 'BACKEND_UNAVAILABLE' },
  );
});
