import { FedLedgerError } from '../errors';
import type { FeatureScaling } from '../types';
import {
  MEDIAN_HISTOGRAM_BINS,
  inputColumns,
  type DataSchema,
  type NumericColumnSchema,
} from './data-schema';
import type {
  CategoricalColumnProfile,
  DataProfileInput,
  Imputation,
  NumericColumnProfile,
} from './data-profile';

/** A standard deviation below this is a constant input: scaled by 1 so it maps to 0, not NaN. */
const MIN_SCALE = 1e-12;

/**
 * The federation-wide imputation values and input scaling, from every participant's profile. The
 * result is what one org holding all rows would compute: numeric inputs are filled with the pooled
 * mean (or the median of the pooled histogram), and the scaling is the pooled mean and population
 * standard deviation of each encoded input after filling, computed exactly from sums. Deterministic
 * (profiles are taken in MSP id order), so every endorsing peer computes the same record.
 */
export function consortiumPreprocessing(
  schema: DataSchema,
  profiles: readonly (DataProfileInput & { mspId: string })[],
): { imputation: Imputation; featureScaling: FeatureScaling } {
  const ordered = [...profiles].sort((a, b) =>
    a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0,
  );
  const rows = ordered.reduce((total, profile) => total + profile.rows, 0);
  if (rows === 0) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      'the participants profiled no training rows; nothing to compute the preprocessing from',
    );
  }
  const center: number[] = [];
  const scale: number[] = [];
  const push = (mean: number, variance: number): void => {
    const std = Math.sqrt(Math.max(0, variance));
    center.push(mean);
    scale.push(std > MIN_SCALE ? std : 1);
  };
  const pushShare = (count: number): void => {
    const p = count / rows;
    push(p, p * (1 - p));
  };
  const values: Record<string, number> = {};
  inputColumns(schema).forEach((column, index) => {
    const columnProfiles = ordered.map((profile) => {
      // A profile may describe fewer columns than the schema has.
      const found = profile.columns.at(index);
      if (found === undefined || found.name !== column.name || found.type !== column.type) {
        throw new FedLedgerError(
          'FAILED_PRECONDITION',
          `the profile of ${profile.mspId} does not describe column ${index} "${column.name}" of the schema`,
        );
      }
      return found;
    });
    const missing = columnProfiles.reduce((total, profile) => total + profile.missing, 0);
    if (column.type === 'numeric') {
      const numeric = columnProfiles as NumericColumnProfile[];
      const observed = rows - missing;
      const sum = numeric.reduce((total, profile) => total + profile.sum, 0);
      const sumSquares = numeric.reduce((total, profile) => total + profile.sumSquares, 0);
      const fill =
        observed === 0
          ? 0
          : schema.imputation.method === 'median'
            ? pooledMedian(column, numeric, observed)
            : sum / observed;
      values[column.name] = fill;
      const mean = (sum + missing * fill) / rows;
      push(mean, (sumSquares + missing * fill * fill) / rows - mean * mean);
    } else {
      const categorical = columnProfiles as CategoricalColumnProfile[];
      column.levels.forEach((_, level) => {
        pushShare(
          categorical.reduce((total, profile) => total + (profile.levelCounts[level] ?? 0), 0),
        );
      });
    }
    if (schema.imputation.indicators) pushShare(missing);
  });
  return {
    imputation: { values, fromOrgs: ordered.map((profile) => profile.mspId), rows },
    featureScaling: { center, scale },
  };
}

/** The median of the summed histograms, interpolated linearly inside its bin. */
function pooledMedian(
  column: NumericColumnSchema,
  profiles: readonly NumericColumnProfile[],
  observed: number,
): number {
  const min = column.min as number;
  const max = column.max as number;
  const width = (max - min) / MEDIAN_HISTOGRAM_BINS;
  const half = observed / 2;
  let cumulative = 0;
  for (let bin = 0; bin < MEDIAN_HISTOGRAM_BINS; bin++) {
    const count = profiles.reduce((total, profile) => total + (profile.histogram?.[bin] ?? 0), 0);
    if (count > 0 && cumulative + count >= half) {
      return min + width * (bin + (half - cumulative) / count);
    }
    cumulative += count;
  }
  return max;
}

/** The histogram bin of a value in [min, max] (the maximum falls into the last bin). */
export function histogramBin(value: number, min: number, max: number): number {
  if (max <= min) return 0;
  return Math.min(
    MEDIAN_HISTOGRAM_BINS - 1,
    Math.max(0, Math.floor(((value - min) / (max - min)) * MEDIAN_HISTOGRAM_BINS)),
  );
}
