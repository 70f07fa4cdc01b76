import { createHash } from 'node:crypto';
import {
  fitStandardizer,
  formatCsv,
  generateSyntheticClinical,
  parseCsvDataset,
  prepareDataset,
  type PreparedDataset,
  splitAcrossOrgs,
  type Standardizer,
  toFeatureMatrix,
} from '@fedledger/gateway/datasets';
import type { DemoSplit } from './demo-options';

/** Held-out patients are drawn from the same generator with this offset on the seed, so they never overlap training data. */
export const HELD_OUT_SEED_OFFSET = 1_000_003;
/** Validation share each gateway keeps out of training (the gateways' default). */
export const VALIDATION_FRACTION = 0.2;

export interface DataSettings {
  rows: number;
  /**
   * Default `dirichlet` (labels and sizes skewed): the split the e2e tests and benches that call this
   * directly were recorded with. The demo CLI always passes its own `--split` (ADR 0033).
   */
  split?: DemoSplit;
  alpha: number;
  seed: number;
  testRows: number;
  hospitals: number;
}

/** One hospital's share exactly as its gateway will build it from `POST /datasets/synthetic`. */
export interface HospitalData {
  numRows: number;
  positiveRate: number;
  /** SHA-256 of the CSV the gateway writes: lets the demo check that it reproduced the gateway's data. */
  fileSha256: string;
  prepared: PreparedDataset;
}

export interface RawMatrix {
  features: Float32Array;
  labels: Float32Array;
  numFeatures: number;
}

export interface DemoData {
  featureColumns: string[];
  labelColumn: string;
  hospitals: HospitalData[];
  /** The hospitals' training rows pooled, unstandardised, with their own fitted standardizer (centralized baseline only). */
  pooledTrain: RawMatrix & { standardizer: Standardizer };
  /** The pooled held-out test population, unstandardised: every model is scored on these rows. */
  heldOut: RawMatrix;
}

/**
 * Rebuilds, inside the demo process, the same data the gateways build from the same request: the
 * population, the Dirichlet label-skewed split, each share's CSV and its seeded train/validation split.
 * The demo uses it only for the comparison baselines and the held-out score; the gateways train on their own copies.
 */
export function buildDemoData(settings: DataSettings): DemoData {
  const population = generateSyntheticClinical({ rows: settings.rows, seed: settings.seed });
  const shares = splitAcrossOrgs(population.rows, {
    orgs: settings.hospitals,
    mode: settings.split ?? 'dirichlet',
    alpha: settings.alpha,
    seed: settings.seed,
    minRowsPerOrg: 2,
  });
  const hospitals = shares.map((rows, index): HospitalData => {
    const csv = formatCsv({ ...population, rows });
    const table = parseCsvDataset(csv, `hospital-${index + 1}.csv`, {
      labelColumn: population.labelColumn,
      featureColumns: population.featureColumns,
    });
    return {
      numRows: rows.length,
      positiveRate: rows.reduce((sum, row) => sum + row.label, 0) / rows.length,
      fileSha256: createHash('sha256').update(csv, 'utf8').digest('hex'),
      prepared: prepareDataset(table, {
        validationFraction: VALIDATION_FRACTION,
        seed: settings.seed,
      }),
    };
  });
  const numFeatures = population.featureColumns.length;
  const raw = hospitals.map(({ prepared }) =>
    unstandardize(prepared.train.features, prepared.standardizer),
  );
  const pooledFeatures = concat(raw);
  const pooledLabels = concat(hospitals.map(({ prepared }) => prepared.train.labels));
  const heldOut = toFeatureMatrix(
    generateSyntheticClinical({
      rows: settings.testRows,
      seed: settings.seed + HELD_OUT_SEED_OFFSET,
    }).rows,
    numFeatures,
  );
  return {
    featureColumns: [...population.featureColumns],
    labelColumn: population.labelColumn,
    hospitals,
    pooledTrain: {
      features: pooledFeatures,
      labels: pooledLabels,
      numFeatures,
      standardizer: fitStandardizer(pooledFeatures, numFeatures),
    },
    heldOut: { features: heldOut.features, labels: heldOut.labels, numFeatures },
  };
}

/** Inverts a standardisation (the gateway keeps only standardised matrices in memory). */
function unstandardize(features: Float32Array, standardizer: Standardizer): Float32Array {
  const width = standardizer.means.length;
  return features.map(
    (value, i) => value * standardizer.stds[i % width] + standardizer.means[i % width],
  );
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
