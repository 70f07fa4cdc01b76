import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FedLedgerError } from '../errors';
import { consortiumPreprocessing, histogramBin } from './consortium-preprocessing';
import { MEDIAN_HISTOGRAM_BINS, encodedColumns, type DataSchema } from './data-schema';
import type { DataProfileInput, NumericColumnProfile } from './data-profile';

const schema = (method: 'mean' | 'median', indicators: boolean): DataSchema => ({
  columns: [
    { name: 'x', type: 'numeric', min: 0, max: 64 },
    { name: 'c', type: 'categorical', levels: ['a', 'b'] },
    { name: 'y', type: 'categorical', levels: ['0', '1'] },
  ],
  label: { column: 'y', positiveValues: ['1'] },
  missingTokens: [''],
  imputation: { method, indicators },
});

/** The profile of these x values (null = missing) and categories, as a gateway computes it. */
function profile(
  mspId: string,
  xs: (number | null)[],
  cs: ('a' | 'b' | null)[],
): DataProfileInput & { mspId: string } {
  const observed = xs.filter((x): x is number => x !== null);
  const histogram = new Array<number>(MEDIAN_HISTOGRAM_BINS).fill(0);
  for (const x of observed)
    histogram[histogramBin(x, 0, 64)] = histogram[histogramBin(x, 0, 64)] + 1;
  const numeric: NumericColumnProfile = {
    name: 'x',
    type: 'numeric',
    missing: xs.length - observed.length,
    sum: observed.reduce((a, b) => a + b, 0),
    sumSquares: observed.reduce((a, b) => a + b * b, 0),
    histogram,
  };
  return {
    mspId,
    rows: xs.length,
    positives: 0,
    columns: [
      numeric,
      {
        name: 'c',
        type: 'categorical',
        missing: cs.filter((c) => c === null).length,
        levelCounts: [cs.filter((c) => c === 'a').length, cs.filter((c) => c === 'b').length],
      },
    ],
  };
}

describe('consortiumPreprocessing', () => {
  const a = profile('OrgAMSP', [1, 3, null, 10], ['a', 'b', 'a', null]);
  const b = profile('OrgBMSP', [20, null], ['b', 'b']);

  it('mean: pooled fill value, then pooled mean and population std of each encoded input after filling', () => {
    const { imputation, featureScaling } = consortiumPreprocessing(schema('mean', true), [b, a]);
    const fill = (1 + 3 + 10 + 20) / 4;
    assert.deepEqual(imputation, {
      values: { x: fill },
      fromOrgs: ['OrgAMSP', 'OrgBMSP'],
      rows: 6,
    });
    const filled = [1, 3, fill, 10, 20, fill];
    const mean = filled.reduce((s, v) => s + v, 0) / 6;
    const std = Math.sqrt(filled.reduce((s, v) => s + (v - mean) ** 2, 0) / 6);
    assert.equal(featureScaling.center.length, encodedColumns(schema('mean', true)).length);
    assert.ok(Math.abs(featureScaling.center[0] - mean) < 1e-12);
    assert.ok(Math.abs(featureScaling.scale[0] - std) < 1e-12);
    // x:missing 2/6, c=a 2/6, c=b 3/6, c:missing 1/6.
    const share = (p: number): [number, number] => [p, Math.sqrt(p * (1 - p))];
    for (const [i, p] of [
      [1, 2 / 6],
      [2, 2 / 6],
      [3, 3 / 6],
      [4, 1 / 6],
    ] as const) {
      assert.deepEqual([featureScaling.center[i], featureScaling.scale[i]], share(p), `input ${i}`);
    }
  });

  it('median: read from the summed histograms, interpolated in its bin', () => {
    const { imputation } = consortiumPreprocessing(schema('median', false), [a, b]);
    // Observed 1, 3, 10, 20 in unit-wide bins: half (2 values) is reached inside bin 3 → 3 + 1·(2 − 1)/1 = 4.
    assert.equal(imputation.values['x'], 4);
  });

  it('a column nobody observed is filled with 0 and scaled by 1; a constant input too', () => {
    const none = profile('OrgCMSP', [null, null], ['a', 'a']);
    const { imputation, featureScaling } = consortiumPreprocessing(schema('mean', false), [none]);
    assert.deepEqual(imputation.values, { x: 0 });
    assert.deepEqual(featureScaling, { center: [0, 1, 0], scale: [1, 1, 1] });
  });

  it('profiles that do not describe the schema, or no rows at all, are FAILED_PRECONDITION', () => {
    const wrong = { ...a, columns: [...a.columns].reverse() };
    assert.throws(
      () => consortiumPreprocessing(schema('mean', false), [wrong]),
      (error: unknown) =>
        error instanceof FedLedgerError &&
        error.code === 'FAILED_PRECONDITION' &&
        /does not describe column 0 "x"/.test(error.message),
    );
    assert.throws(
      () => consortiumPreprocessing(schema('mean', false), []),
      (error: unknown) => error instanceof FedLedgerError && error.code === 'FAILED_PRECONDITION',
    );
  });

  it('histogram bins clamp to the range; a degenerate range is one bin', () => {
    assert.equal(histogramBin(-5, 0, 64), 0);
    assert.equal(histogramBin(64, 0, 64), MEDIAN_HISTOGRAM_BINS - 1);
    assert.equal(histogramBin(3, 5, 5), 0);
  });
});
