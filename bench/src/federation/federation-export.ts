import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeFlat, type HyperParameters } from '@fedledger/core';
import type { Scenario } from './scenario';

/** What `meta.json` holds; bench/python/fl_data.py documents the same layout from the reader's side. */
export interface ExportMeta {
  featureColumns: string[];
  labelColumn: string;
  numFeatures: number;
  hiddenUnits: number[];
  weightShapes: number[][];
  hyperParameters: HyperParameters;
  rounds: number;
  /** One CSV per org, in org order. */
  orgFiles: string[];
  orgMspIds: string[];
  seed: number;
}

/** CSV text: header, then one line per row (features as written by JS' shortest round-trip form, then the label). */
export function matrixToCsv(
  columns: readonly string[],
  features: Float32Array,
  labels: Float32Array,
): string {
  const numFeatures = columns.length - 1;
  const lines = [columns.join(',')];
  for (let r = 0; r < labels.length; r++) {
    const row = Array.from(features.subarray(r * numFeatures, (r + 1) * numFeatures), String);
    row.push(String(labels[r]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a scenario (standardised splits, initial weights, hyper-parameters) for the Python side, so
 * PyTorch and Flower train on exactly the rows and from exactly the weights fedledger uses.
 */
export function exportFederation(
  directory: string,
  scenario: Scenario,
  hyperParameters: HyperParameters,
  rounds: number,
): ExportMeta {
  mkdirSync(directory, { recursive: true });
  const columns = [...scenario.featureColumns, scenario.labelColumn];
  const orgFiles = scenario.orgs.map((_, k) => `org-${k + 1}.csv`);
  scenario.orgs.forEach((org, k) => {
    writeFileSync(
      path.join(directory, orgFiles[k]),
      matrixToCsv(columns, org.features, org.labels),
    );
  });
  writeFileSync(
    path.join(directory, 'test.csv'),
    matrixToCsv(columns, scenario.test.features, scenario.test.labels),
  );
  const { flat } = decodeFlat(scenario.initialWeights);
  // Float32Array is little-endian on every platform Node supports.
  writeFileSync(
    path.join(directory, 'initial-weights.f32'),
    new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength),
  );
  const meta: ExportMeta = {
    featureColumns: scenario.featureColumns,
    labelColumn: scenario.labelColumn,
    numFeatures: scenario.numFeatures,
    hiddenUnits: scenario.options.hiddenUnits,
    weightShapes: scenario.weightShapes,
    hyperParameters,
    rounds,
    orgFiles,
    orgMspIds: scenario.orgs.map((org) => org.mspId),
    seed: scenario.options.seed,
  };
  writeFileSync(path.join(directory, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
