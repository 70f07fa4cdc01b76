import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '@fedledger/core';
import { prepareDataset, selectColumns } from './prepared-dataset';

const table = {
  featureColumns: ['a', 'b'],
  labelColumn: 'y',
  rows: Array.from({ length: 10 }, (_, i) => ({ features: [i, 100 - 2 * i], label: i % 2 })),
};

test('splits deterministically and standardises with training statistics only', () => {
  const prepared = prepareDataset(table, { validationFraction: 0.3, seed: 4 });
  assert.equal(prepared.train.labels.length, 7);
  assert.equal(prepared.validation.labels.length, 3);
  assert.deepEqual(prepareDataset(table, { validationFraction: 0.3, seed: 4 }), prepared);
  // Training columns have mean 0 and unit variance after standardisation.
  for (let c = 0; c < 2; c++) {
    const column = Array.from({ length: 7 }, (_, r) => prepared.train.features[r * 2 + c]);
    const mean = column.reduce((s, x) => s + x, 0) / 7;
    const variance = column.reduce((s, x) => s + (x - mean) ** 2, 0) / 7;
    assert.ok(Math.abs(mean) < 1e-6);
    assert.ok(Math.abs(variance - 1) < 1e-5);
  }
  // Column b is -2 × column a + 100, so standardised values are exact negatives.
  for (let r = 0; r < 3; r++) {
    assert.ok(
      Math.abs(prepared.validation.features[r * 2] + prepared.validation.features[r * 2 + 1]) <
        1e-5,
    );
  }
  assert.equal(
    prepareDataset(table, { validationFraction: 0, seed: 1 }).validation.labels.length,
    0,
  );
  assert.equal(
    prepareDataset({ ...table, rows: table.rows.slice(0, 1) }, { validationFraction: 0.9, seed: 1 })
      .train.labels.length,
    1,
  );
});

test('rejects a bad validation fraction or seed', () => {
  assert.throws(
    () => prepareDataset(table, { validationFraction: 1, seed: 1 }),
    new FedLedgerError('INVALID_ARGUMENT', 'validationFraction must be in [0, 1), got 1'),
  );
  assert.throws(
    () => prepareDataset(table, { validationFraction: 0.2, seed: NaN }),
    new FedLedgerError('INVALID_ARGUMENT', 'seed must be an integer, got NaN'),
  );
});

test('selectColumns reorders and narrows columns and checks the label', () => {
  const prepared = prepareDataset(table, { validationFraction: 0.2, seed: 1 });
  assert.equal(selectColumns(prepared, ['a', 'b'], 'y', 'd'), prepared);
  const swapped = selectColumns(prepared, ['b', 'a'], 'y', 'd');
  assert.deepEqual(swapped.featureColumns, ['b', 'a']);
  assert.equal(swapped.train.features[0], prepared.train.features[1]);
  assert.equal(swapped.train.features[1], prepared.train.features[0]);
  assert.deepEqual(
    Array.from(swapped.standardizer.means),
    [...prepared.standardizer.means].reverse(),
  );
  const narrowed = selectColumns(prepared, ['b'], 'y', 'd');
  assert.equal(narrowed.numFeatures, 1);
  assert.equal(narrowed.validation.features.length, prepared.validation.labels.length);
  assert.throws(
    () => selectColumns(prepared, ['c'], 'y', 'd'),
    new FedLedgerError('INVALID_ARGUMENT', 'dataset "d" has no feature column "c" (it has a, b)'),
  );
  assert.throws(
    () => selectColumns(prepared, ['a'], 'z', 'd'),
    new FedLedgerError('INVALID_ARGUMENT', 'dataset "d" has label column "y", not "z"'),
  );
});
