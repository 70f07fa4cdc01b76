import {
  FedLedgerError,
  encodedColumns,
  type DataSchema,
  type FeatureScaling,
  type Imputation,
} from '@fedledger/core';
import type { DatasetsService } from '../datasets/datasets.service';
import { standardizerFromScaling } from '../datasets/feature-scaling';
import type { PreparedDataset } from '../datasets/prepared-dataset';
import { applyStandardizer } from '../datasets/standardizer';
import { readDatasetUnderSchema } from './dataset-under-schema';
import { encodeRows } from './schema-encoding';

/**
 * A dataset as a schema federation's model inputs: read under the schema, encoded (one-hot levels,
 * missing numbers filled with the consortium's values, missing indicators) and scaled with the
 * federation's scaling — the same transform at every org. FAILED_PRECONDITION before the start
 * (no imputation or scaling yet); INVALID_ARGUMENT listing every problem when the data no longer fit.
 */
export async function schemaModelInputs(
  datasets: DatasetsService,
  datasetId: string,
  federation: {
    dataSchema: DataSchema;
    imputation?: Imputation | undefined;
    featureScaling?: FeatureScaling | undefined;
  },
): Promise<PreparedDataset> {
  const { dataSchema: schema, imputation, featureScaling } = federation;
  if (imputation === undefined || featureScaling === undefined) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      'the federation has not started: its imputation and scaling are computed at start',
    );
  }
  const rows = await readDatasetUnderSchema(datasets, datasetId, schema);
  const train = encodeRows(rows.train, schema, imputation);
  const validation = encodeRows(rows.validation, schema, imputation);
  const standardizer = standardizerFromScaling(featureScaling);
  return {
    train: { features: applyStandardizer(train.features, standardizer), labels: train.labels },
    validation: {
      features: applyStandardizer(validation.features, standardizer),
      labels: validation.labels,
    },
    numFeatures: train.numFeatures,
    featureColumns: encodedColumns(schema),
    labelColumn: schema.label.column,
    standardizer,
    unscaled: { train: train.features, validation: validation.features },
  };
}
