import {
  consortiumPreprocessing,
  type DataSchema,
  type FeatureScaling,
  type HyperParameters,
  type Imputation,
} from '@fedledger/core';
import { ProblemCollector } from '../datasets/column-problems';
import { parseRawTable } from '../datasets/csv-dataset';
import { standardizerFromScaling } from '../datasets/feature-scaling';
import { splitRawTable } from '../datasets/raw-split';
import { applyStandardizer } from '../datasets/standardizer';
import { encodeRows, profileRows } from './schema-encoding';
import { readSchemaRows, type SchemaRows } from './schema-table';
import { evaluate, trainLocal } from '../training/trainer';
import { buildPreset } from '../training/model-presets';
import { generateMultisiteSites, MULTISITE_SCHEMA } from '../datasets/synthetic-multisite';

/** Accuracy (and AUC when defined) of one model on held-out rows. */
export interface HeldOutScore {
  accuracy: number;
  auc?: number;
}

/**
 * The yardstick for a schema federation: the same raw site files pooled in one place, read under the
 * same schema, imputed and scaled from all training rows (which is what the consortium's profiles
 * give), and trained with the same model for the federation's total epochs. Only for comparison:
 * pooling the rows is what federation avoids.
 */
export interface MultisiteRecipe {
  topology: string;
  initialWeights: Uint8Array;
  hyperParameters: HyperParameters;
  totalEpochs: number;
  seed: number;
}

/** Reads a CSV under the schema; throws listing the problems (the files here come from the generator). */
export function readUnderSchema(csv: string, schema: DataSchema, name: string): SchemaRows {
  const problems = new ProblemCollector();
  const rows = readSchemaRows(parseRawTable(csv, name), schema, problems);
  problems.throwIfAny(name);
  return rows as SchemaRows;
}

/** Each site's training rows, split exactly as the gateways split a registered raw dataset. */
export function siteTrainingRows(
  csvs: readonly string[],
  schema: DataSchema,
  split: { validationFraction: number; seed: number },
): SchemaRows[] {
  return csvs.map((csv, site) => {
    const name = `site-${site + 1}.csv`;
    const { train } = splitRawTable(parseRawTable(csv, name), split, name);
    const problems = new ProblemCollector();
    const rows = readSchemaRows(train, schema, problems);
    problems.throwIfAny(name);
    return rows as SchemaRows;
  });
}

/** Concatenates rows of the same schema. */
export function poolRows(parts: readonly SchemaRows[]): SchemaRows {
  const width = parts[0]?.cells.length ?? 0;
  return {
    cells: Array.from({ length: width }, (_, c) => parts.flatMap((part) => part.cells[c] ?? [])),
    labels: Uint8Array.from(parts.flatMap((part) => Array.from(part.labels))),
  };
}

/** Scores weights on held-out rows encoded and scaled with the given preprocessing. */
export async function scoreUnderSchema(
  topology: string,
  weights: Uint8Array,
  rows: SchemaRows,
  schema: DataSchema,
  imputation: Pick<Imputation, 'values'>,
  featureScaling: FeatureScaling,
): Promise<HeldOutScore> {
  const encoded = encodeRows(rows, schema, imputation);
  const result = await evaluate({
    topology,
    weights,
    features: applyStandardizer(encoded.features, standardizerFromScaling(featureScaling)),
    labels: encoded.labels,
    numFeatures: encoded.numFeatures,
  });
  const score: HeldOutScore = { accuracy: result.metrics['accuracy'] };
  if ('auc' in result.metrics) score.auc = result.metrics['auc'];
  return score;
}

/** Centralized training on every site's training rows pooled, scored on `heldOut`. */
export async function centralizedUnderSchema(
  recipe: MultisiteRecipe,
  sites: readonly SchemaRows[],
  heldOut: SchemaRows,
  schema: DataSchema,
): Promise<HeldOutScore & { imputation: Imputation; featureScaling: FeatureScaling }> {
  const pooled = poolRows(sites);
  const { imputation, featureScaling } = consortiumPreprocessing(schema, [
    { ...profileRows(pooled, schema), mspId: 'pooled' },
  ]);
  const encoded = encodeRows(pooled, schema, imputation);
  const trained = await trainLocal({
    topology: recipe.topology,
    weights: recipe.initialWeights,
    features: applyStandardizer(encoded.features, standardizerFromScaling(featureScaling)),
    labels: encoded.labels,
    numFeatures: encoded.numFeatures,
    hyperParameters: { ...recipe.hyperParameters, epochs: recipe.totalEpochs },
    seed: recipe.seed,
  });
  return {
    ...(await scoreUnderSchema(
      recipe.topology,
      trained.weights,
      heldOut,
      schema,
      imputation,
      featureScaling,
    )),
    imputation,
    featureScaling,
  };
}

/** A logistic-regression federation over `generateMultisiteSites` files, as the tests run one. */
export interface GeneratedMultisiteFederation {
  rows: number;
  sites: number;
  seed: number;
  modelSeed: number;
  inputDim: number;
  hyperParameters: HyperParameters;
  rounds: number;
}

/**
 * The held-out rows (3,000 patients of one more generated site) and the centralized yardstick of
 * such a federation: the same raw site files pooled, split 80/20 as registered, the same model and
 * total epochs.
 */
export async function generatedMultisiteYardstick(
  federation: GeneratedMultisiteFederation,
): Promise<{
  heldOut: SchemaRows;
  central: Awaited<ReturnType<typeof centralizedUnderSchema>>;
}> {
  const { rows, sites, seed, hyperParameters } = federation;
  const csvs = generateMultisiteSites({ rows, sites, seed });
  const heldOut = readUnderSchema(
    generateMultisiteSites({ rows: 3000, sites: 1, seed: seed + 100 })[0],
    MULTISITE_SCHEMA,
    'held-out.csv',
  );
  const preset = buildPreset({
    preset: 'logistic-regression',
    inputDim: federation.inputDim,
    seed: federation.modelSeed,
  });
  const central = await centralizedUnderSchema(
    {
      topology: preset.topology,
      initialWeights: preset.initialWeights,
      hyperParameters,
      totalEpochs: federation.rounds * hyperParameters.epochs,
      seed: 1,
    },
    siteTrainingRows(csvs, MULTISITE_SCHEMA, { validationFraction: 0.2, seed }),
    heldOut,
    MULTISITE_SCHEMA,
  );
  return { heldOut, central };
}
