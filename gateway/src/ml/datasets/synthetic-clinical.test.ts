import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '@fedledger/core';
import {
  CLINICAL_FEATURE_COLUMNS,
  CLINICAL_LABEL_COLUMN,
  generateSyntheticClinical,
} from './synthetic-clinical';

test('the generator is deterministic in its seed', () => {
  const a = generateSyntheticClinical({ rows: 200, seed: 11 });
  assert.deepEqual(generateSyntheticClinical({ rows: 200, seed: 11 }), a);
  assert.notDeepEqual(generateSyntheticClinical({ rows: 200, seed: 12 }).rows, a.rows);
  // A longer run starts with the same patients.
  assert.deepEqual(generateSyntheticClinical({ rows: 300, seed: 11 }).rows.slice(0, 200), a.rows);
});

test('patients have 12 features in realistic ranges and a plausible readmission rate', () => {
  const table = generateSyntheticClinical({ rows: 4000, seed: 5 });
  assert.deepEqual(table.featureColumns, [...CLINICAL_FEATURE_COLUMNS]);
  assert.equal(table.featureColumns.length, 12);
  assert.equal(table.labelColumn, CLINICAL_LABEL_COLUMN);
  const ranges: Record<string, [number, number]> = {
    age: [18, 95],
    sex_male: [0, 1],
    bmi: [16, 55],
    systolic_bp: [85, 220],
    heart_rate: [45, 140],
    hba1c: [4, 14],
    ldl_cholesterol: [40, 260],
    egfr: [8, 130],
    prior_admissions: [0, 20],
    length_of_stay: [1, 45],
    num_medications: [0, 25],
    smoker: [0, 1],
  };
  let positives = 0;
  for (const row of table.rows) {
    row.features.forEach((value, i) => {
      const [low, high] = ranges[table.featureColumns[i]];
      assert.ok(value >= low && value <= high, `${table.featureColumns[i]}=${value}`);
    });
    assert.ok(row.label === 0 || row.label === 1);
    positives += row.label;
  }
  const rate = positives / table.rows.length;
  assert.ok(rate > 0.15 && rate < 0.6, `positive rate ${rate}`);
});

test('the generator rejects bad sizes and seeds', () => {
  assert.throws(
    () => generateSyntheticClinical({ rows: 0, seed: 1 }),
    new FedLedgerError('INVALID_ARGUMENT', 'rows must be an integer in [1, 100000], got 0'),
  );
  // The bound holds for callers that bypass the REST DTO too (the in-process demo).
  assert.throws(
    () => generateSyntheticClinical({ rows: 100_001, seed: 1 }),
    new FedLedgerError('INVALID_ARGUMENT', 'rows must be an integer in [1, 100000], got 100001'),
  );
  assert.throws(
    () => generateSyntheticClinical({ rows: 5, seed: 1.5 }),
    new FedLedgerError('INVALID_ARGUMENT', 'seed must be an integer, got 1.5'),
  );
});
