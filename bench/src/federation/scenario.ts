import { decodeFlat, FedLedgerError } from '@fedledger/core';
import {
  applyStandardizer,
  CLINICAL_FEATURE_COLUMNS,
  CLINICAL_LABEL_COLUMN,
  createSeededRandom,
  fitStandardizer,
  generateSyntheticClinical,
  type LabeledRow,
  seededPermutation,
  splitAcrossOrgs,
  type SplitMode,
  toFeatureMatrix,
} from '@fedledger/gateway/datasets';
import { buildPreset } from '@fedledger/gateway/training';

/** One org's private training rows, standardised, row-major. */
export interface OrgData {
  mspId: string;
  features: Float32Array;
  labels: Float32Array;
}

export interface ScenarioOptions {
  /** Patients generated in total (test rows included). */
  rows: number;
  orgs: number;
  split: SplitMode;
  /** Dirichlet concentration for both Dirichlet splits. */
  alpha?: number;
  /** Share of rows held out as the common test set every model is scored on. */
  testFraction: number;
  hiddenUnits: number[];
  seed: number;
}

/** A federation's data and model, built deterministically from {@link ScenarioOptions}. */
export interface Scenario {
  options: ScenarioOptions;
  featureColumns: string[];
  labelColumn: string;
  numFeatures: number;
  orgs: OrgData[];
  test: { features: Float32Array; labels: Float32Array };
  topology: string;
  initialWeights: Uint8Array;
  weightShapes: number[][];
  paramCount: number;
}

/** MSP id of the k-th org (0-based), as the demo network names them. */
export function orgMspId(k: number): string {
  return `Org${k + 1}MSP`;
}

/**
 * Generates the synthetic clinical task, holds out a test set, deals the rest to orgs (IID or
 * Dirichlet label skew) and standardises every split with the pooled training statistics. The pooled
 * statistics are a simplification: real gateways standardise with their own data's statistics; a
 * consortium would agree on fixed constants to get what is modelled here.
 */
export function buildScenario(options: ScenarioOptions): Scenario {
  const table = generateSyntheticClinical({ rows: options.rows, seed: options.seed });
  const numFeatures = CLINICAL_FEATURE_COLUMNS.length;
  const order = seededPermutation(table.rows.length, createSeededRandom(options.seed + 1));
  const testCount = Math.round(table.rows.length * options.testFraction);
  const pick = (from: number, to: number): LabeledRow[] =>
    Array.from(order.subarray(from, to), (i) => table.rows[i]);
  const testRows = pick(0, testCount);
  const trainRows = pick(testCount, table.rows.length);
  const shares = splitAcrossOrgs(trainRows, {
    orgs: options.orgs,
    mode: options.split,
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    seed: options.seed + 2,
    minRowsPerOrg: 64,
  });
  const standardizer = fitStandardizer(
    toFeatureMatrix(trainRows, numFeatures).features,
    numFeatures,
  );
  const standardised = (
    rows: readonly LabeledRow[],
  ): { features: Float32Array; labels: Float32Array } => {
    const matrix = toFeatureMatrix(rows, numFeatures);
    return { features: applyStandardizer(matrix.features, standardizer), labels: matrix.labels };
  };
  const preset = buildPreset({
    preset: 'mlp',
    inputDim: numFeatures,
    hiddenUnits: options.hiddenUnits,
    seed: options.seed,
  });
  const { shapes, flat } = decodeFlat(preset.initialWeights);
  return {
    options,
    featureColumns: [...CLINICAL_FEATURE_COLUMNS],
    labelColumn: CLINICAL_LABEL_COLUMN,
    numFeatures,
    orgs: shares.map((rows, k) => ({ mspId: orgMspId(k), ...standardised(rows) })),
    test: standardised(testRows),
    topology: preset.topology,
    initialWeights: preset.initialWeights,
    weightShapes: shapes,
    paramCount: flat.length,
  };
}

/** Every org's rows concatenated (the centralised baseline's training set). */
export function pooledTrainingData(scenario: Scenario): {
  features: Float32Array;
  labels: Float32Array;
} {
  const rows = scenario.orgs.reduce((sum, org) => sum + org.labels.length, 0);
  const features = new Float32Array(rows * scenario.numFeatures);
  const labels = new Float32Array(rows);
  let offset = 0;
  for (const org of scenario.orgs) {
    features.set(org.features, offset * scenario.numFeatures);
    labels.set(org.labels, offset);
    offset += org.labels.length;
  }
  return { features, labels };
}

/** Hidden widths `[w, w]` whose MLP on 12 inputs has about `target` parameters. */
export function hiddenUnitsForParams(target: number, inputDim: number): number[] {
  if (!(target > 0)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `target parameter count must be positive, got ${target}`,
    );
  }
  // params(w) = w² + (inputDim + 3)·w + 1 for hidden [w, w] and one output unit.
  const b = inputDim + 3;
  const width = Math.max(1, Math.round((-b + Math.sqrt(b * b + 4 * (target - 1))) / 2));
  return [width, width];
}
