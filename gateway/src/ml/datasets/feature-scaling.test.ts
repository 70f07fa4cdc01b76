import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FedLedgerError, type FeatureScaling } from '@fedledger/core';
import { scaleRows, scalingFromStandardizer, standardizerFromScaling } from './feature-scaling';
import type { LabeledTable } from './labeled-rows';
import {
  prepareDataset,
  selectColumns,
  withFeatureScaling,
  type PreparedDataset,
} from './prepared-dataset';

/** The same patient, present at both hospitals. */
const SHARED_ROW = [63, 1, 27.5];

/** A hospital's table: `count` patients around `ageCenter`, with the shared patient among them. */
function hospital(ageCenter: number, positiveRate: number, count: number): LabeledTable {
  const rows = Array.from({ length: count }, (_, i) => ({
    features: [ageCenter + ((i * 7) % 21) - 10, i % 3 === 0 ? 1 : 0, 20 + ((i * 5) % 17)],
    label: i < count * positiveRate ? 1 : 0,
  }));
  rows.push({ features: [...SHARED_ROW], label: 1 });
  return { featureColumns: ['age', 'smoker', 'bmi'], labelColumn: 'y', rows };
}

/** The model input the dataset's training split holds for the shared patient. */
function inputOfSharedRow(dataset: PreparedDataset): number[] {
  const width = dataset.numFeatures;
  for (let r = 0; r < dataset.train.labels.length; r++) {
    const raw = Array.from(dataset.unscaled.train.subarray(r * width, (r + 1) * width));
    if (raw.every((value, c) => value === Math.fround(SHARED_ROW[c])))
      return Array.from(dataset.train.features.subarray(r * width, (r + 1) * width));
  }
  return assert.fail('the shared row is not in the training split');
}

const young = prepareDataset(hospital(40, 0.1, 60), { validationFraction: 0, seed: 1 });
const old = prepareDataset(hospital(75, 0.7, 90), { validationFraction: 0, seed: 2 });

test('with their own statistics, two hospitals feed the model different inputs for the same patient (the problem)', () => {
  assert.notDeepEqual(inputOfSharedRow(young), inputOfSharedRow(old));
});

test('with the federation scaling, two hospitals with differently distributed data feed the model identical inputs', () => {
  const federation: FeatureScaling = scalingFromStandardizer(young.standardizer);
  const atYoung = inputOfSharedRow(withFeatureScaling(young, federation));
  const atOld = inputOfSharedRow(withFeatureScaling(old, federation));
  assert.deepEqual(atOld, atYoung);
  // Predictions scale raw rows the same way, so a deployed model sees what it was trained on.
  assert.deepEqual(scaleRows([SHARED_ROW], standardizerFromScaling(federation)), [atYoung]);
  const expected = SHARED_ROW.map((value, c) =>
    Math.fround((value - federation.center[c]) / federation.scale[c]),
  );
  assert.deepEqual(atYoung, expected);
});

test('the creator’s own inputs do not change when the federation adopts its statistics', () => {
  const rescaled = withFeatureScaling(young, scalingFromStandardizer(young.standardizer));
  assert.deepEqual(rescaled.train.features, young.train.features);
  assert.deepEqual(rescaled.validation.features, young.validation.features);
  assert.deepEqual(rescaled.unscaled, young.unscaled);
});

test('validation rows are scaled with the federation scaling too, and labels are kept', () => {
  const dataset = prepareDataset(hospital(50, 0.5, 40), { validationFraction: 0.25, seed: 3 });
  const scaling = { center: [10, 0, 20], scale: [2, 1, 4] };
  const rescaled = withFeatureScaling(dataset, scaling);
  const width = 3;
  const rows = Array.from({ length: dataset.validation.labels.length }, (_, r) =>
    Array.from(dataset.unscaled.validation.subarray(r * width, (r + 1) * width)),
  );
  assert.deepEqual(
    Array.from(rescaled.validation.features),
    scaleRows(rows, standardizerFromScaling(scaling)).flat(),
  );
  assert.equal(rescaled.validation.labels, dataset.validation.labels);
  assert.equal(rescaled.train.labels, dataset.train.labels);
  assert.deepEqual(Array.from(rescaled.standardizer.means), scaling.center);
  assert.deepEqual(Array.from(rescaled.standardizer.stds), scaling.scale);
});

test('selectColumns reorders the unscaled features with the rest, so the scaling follows featureColumns order', () => {
  const reordered = selectColumns(young, ['bmi', 'age'], 'y', 'young');
  assert.equal(reordered.unscaled.train[0], young.unscaled.train[2]);
  assert.equal(reordered.unscaled.train[1], young.unscaled.train[0]);
  const scaled = withFeatureScaling(reordered, { center: [20, 40], scale: [5, 10] });
  assert.equal(scaled.train.features[0], Math.fround((young.unscaled.train[2] - 20) / 5));
  assert.equal(scaled.train.features[1], Math.fround((young.unscaled.train[0] - 40) / 10));
});

test('INVALID_ARGUMENT for a scaling of the wrong width or rows of the wrong width', () => {
  assert.throws(
    () => withFeatureScaling(young, { center: [0, 0], scale: [1, 1, 1] }),
    new FedLedgerError(
      'INVALID_ARGUMENT',
      'the feature scaling has 2 centers and 3 scales; the dataset has 3 feature columns',
    ),
  );
  assert.throws(
    () => scaleRows([[1, 2]], standardizerFromScaling({ center: [0, 0, 0], scale: [1, 1, 1] })),
    new FedLedgerError('INVALID_ARGUMENT', 'row 0 has 2 values; expected 3'),
  );
});

test('a standardizer and its recorded scaling convert both ways', () => {
  const scaling = scalingFromStandardizer(young.standardizer);
  assert.deepEqual(scaling.center, Array.from(young.standardizer.means));
  assert.deepEqual(scaling.scale, Array.from(young.standardizer.stds));
  assert.deepEqual(standardizerFromScaling(scaling), young.standardizer);
});
