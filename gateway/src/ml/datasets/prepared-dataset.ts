import { FedLedgerError, type FeatureScaling } from '@fedledger/core';
import { standardizerFromScaling } from './feature-scaling';
import { toFeatureMatrix, type FeatureMatrix, type LabeledTable } from './labeled-rows';
import { seededPermutation, createSeededRandom } from './seeded-random';
import { applyStandardizer, fitStandardizer, type Standardizer } from './standardizer';

/** A dataset ready for the trainer: seeded train/validation split, standardised with train statistics. */
export interface PreparedDataset {
  train: { features: Float32Array; labels: Float32Array };
  validation: { features: Float32Array; labels: Float32Array };
  numFeatures: number;
  featureColumns: string[];
  labelColumn: string;
  /**
   * The scaling `train` and `validation` were standardised with: this dataset's own training
   * statistics, or a federation's agreed scaling after {@link withFeatureScaling}.
   */
  standardizer: Standardizer;
  /** The same splits' features before any scaling, so a federation-wide scaling can replace the local one. */
  unscaled: { train: Float32Array; validation: Float32Array };
}

export interface PrepareOptions {
  /** Share of rows held out for validation, in [0, 1); at least one training row always remains. */
  validationFraction: number;
  seed: number;
}

/** Splits (seeded) and standardises a table; INVALID_ARGUMENT on a bad fraction or seed. */
export function prepareDataset(table: LabeledTable, options: PrepareOptions): PreparedDataset {
  const { validationFraction, seed } = options;
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `validationFraction must be in [0, 1), got ${validationFraction}`,
    );
  }
  if (!Number.isInteger(seed)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `seed must be an integer, got ${seed}`);
  }
  const n = table.rows.length;
  const numFeatures = table.featureColumns.length;
  const order = seededPermutation(n, createSeededRandom(seed));
  const validationCount = Math.min(n - 1, Math.round(n * validationFraction));
  const pick = (from: number, to: number): FeatureMatrix =>
    toFeatureMatrix(
      Array.from(order.subarray(from, to), (index) => table.rows[index]),
      numFeatures,
    );
  const validation = pick(0, validationCount);
  const train = pick(validationCount, n);
  const standardizer = fitStandardizer(train.features, numFeatures);
  return {
    train: { features: applyStandardizer(train.features, standardizer), labels: train.labels },
    validation: {
      features: applyStandardizer(validation.features, standardizer),
      labels: validation.labels,
    },
    numFeatures,
    featureColumns: [...table.featureColumns],
    labelColumn: table.labelColumn,
    standardizer,
    unscaled: { train: train.features, validation: validation.features },
  };
}

/**
 * The dataset's unscaled features scaled with a federation's agreed `(x − center) / scale` instead of
 * this org's own statistics, so every org feeds the model the same input for the same raw row. Call it
 * after {@link selectColumns}; INVALID_ARGUMENT when the scaling does not have one entry per column.
 */
export function withFeatureScaling(
  dataset: PreparedDataset,
  scaling: FeatureScaling,
): PreparedDataset {
  if (
    scaling.center.length !== dataset.numFeatures ||
    scaling.scale.length !== dataset.numFeatures
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `the feature scaling has ${scaling.center.length} centers and ${scaling.scale.length} scales; the dataset has ${dataset.numFeatures} feature columns`,
    );
  }
  const standardizer = standardizerFromScaling(scaling);
  return {
    ...dataset,
    train: {
      features: applyStandardizer(dataset.unscaled.train, standardizer),
      labels: dataset.train.labels,
    },
    validation: {
      features: applyStandardizer(dataset.unscaled.validation, standardizer),
      labels: dataset.validation.labels,
    },
    standardizer,
  };
}

/**
 * Reorders (or narrows) a prepared dataset's columns to a federation's `featureColumns`, so every org
 * feeds the model its inputs in the same order. INVALID_ARGUMENT when a column or the label differs.
 */
export function selectColumns(
  dataset: PreparedDataset,
  featureColumns: readonly string[],
  labelColumn: string,
  datasetId: string,
): PreparedDataset {
  if (labelColumn !== dataset.labelColumn) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `dataset "${datasetId}" has label column "${dataset.labelColumn}", not "${labelColumn}"`,
    );
  }
  const sameOrder =
    featureColumns.length === dataset.featureColumns.length &&
    featureColumns.every((name, i) => name === dataset.featureColumns[i]);
  if (sameOrder) {
    return dataset;
  }
  const indexes = featureColumns.map((name) => {
    const index = dataset.featureColumns.indexOf(name);
    if (index < 0) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `dataset "${datasetId}" has no feature column "${name}" (it has ${dataset.featureColumns.join(', ')})`,
      );
    }
    return index;
  });
  const pickColumns = (features: Float32Array): Float32Array => {
    const rows = features.length / dataset.numFeatures;
    const out = new Float32Array(rows * indexes.length);
    for (let r = 0; r < rows; r++) {
      indexes.forEach((index, c) => {
        out[r * indexes.length + c] = features[r * dataset.numFeatures + index];
      });
    }
    return out;
  };
  return {
    train: { features: pickColumns(dataset.train.features), labels: dataset.train.labels },
    validation: {
      features: pickColumns(dataset.validation.features),
      labels: dataset.validation.labels,
    },
    numFeatures: indexes.length,
    featureColumns: [...featureColumns],
    labelColumn,
    standardizer: {
      means: Float64Array.from(indexes, (index) => dataset.standardizer.means[index]),
      stds: Float64Array.from(indexes, (index) => dataset.standardizer.stds[index]),
    },
    unscaled: {
      train: pickColumns(dataset.unscaled.train),
      validation: pickColumns(dataset.unscaled.validation),
    },
  };
}
