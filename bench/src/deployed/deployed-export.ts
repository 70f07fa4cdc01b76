import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeFlat, type FeatureScaling, type HyperParameters } from '@fedledger/core';
import { type DemoData } from '@fedledger/demo';
import {
  applyStandardizer,
  standardizerFromScaling,
  withFeatureScaling,
} from '@fedledger/gateway/datasets';
import { matrixToCsv, type ExportMeta } from '../federation/federation-export';

/** meta.json of a deployed run: the simulation export's fields plus each org's validation rows. */
export interface DeployedExportMeta extends ExportMeta {
  /** One CSV per org, in org order: the rows its gateway keeps out of training and evaluates each global model on. */
  validationFiles: string[];
}

export interface DeployedExportInput {
  data: DemoData;
  /** The input scaling the federation recorded on the ledger: every gateway trains and evaluates through it. */
  scaling: FeatureScaling;
  /** The federation's initial weights (FLW1 bytes) as the ledger holds them. */
  initialWeights: Uint8Array;
  hiddenUnits: number[];
  hyperParameters: HyperParameters;
  rounds: number;
  mspIds: string[];
  seed: number;
}

/**
 * Writes, for the Flower app, exactly what the fedledger gateways trained and evaluated on: each
 * org's training and validation rows from the demo data (the gateways' own seeded split) scaled with
 * the federation's recorded scaling, the held-out rows scaled the same way, and the initial weights.
 */
export function exportDeployedFederation(
  directory: string,
  input: DeployedExportInput,
): DeployedExportMeta {
  const { data, scaling } = input;
  if (input.mspIds.length !== data.hospitals.length)
    throw new Error(`${input.mspIds.length} org ids for ${data.hospitals.length} hospitals`);
  mkdirSync(directory, { recursive: true });
  const columns = [...data.featureColumns, data.labelColumn];
  const orgFiles = data.hospitals.map((_, k) => `org-${k + 1}.csv`);
  const validationFiles = data.hospitals.map((_, k) => `org-${k + 1}-validation.csv`);
  data.hospitals.forEach((hospital, k) => {
    const scaled = withFeatureScaling(hospital.prepared, scaling);
    writeFileSync(
      path.join(directory, orgFiles[k]),
      matrixToCsv(columns, scaled.train.features, scaled.train.labels),
    );
    writeFileSync(
      path.join(directory, validationFiles[k]),
      matrixToCsv(columns, scaled.validation.features, scaled.validation.labels),
    );
  });
  const heldOut = applyStandardizer(data.heldOut.features, standardizerFromScaling(scaling));
  writeFileSync(
    path.join(directory, 'test.csv'),
    matrixToCsv(columns, heldOut, data.heldOut.labels),
  );
  const { flat, shapes } = decodeFlat(input.initialWeights);
  // Float32Array is little-endian on every platform Node supports.
  writeFileSync(
    path.join(directory, 'initial-weights.f32'),
    new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength),
  );
  const meta: DeployedExportMeta = {
    featureColumns: data.featureColumns,
    labelColumn: data.labelColumn,
    numFeatures: data.featureColumns.length,
    hiddenUnits: input.hiddenUnits,
    weightShapes: shapes,
    hyperParameters: input.hyperParameters,
    rounds: input.rounds,
    orgFiles,
    validationFiles,
    orgMspIds: input.mspIds,
    seed: input.seed,
  };
  writeFileSync(path.join(directory, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
