import { inputColumns, type DataSchema, type FeatureScaling, type Imputation } from '@fedledger/core';
import { ProblemCollector } from '../datasets/column-problems';
import { standardizerFromScaling } from '../datasets/feature-scaling';
import { applyStandardizer } from '../datasets/standardizer';
import { readCell, type Cell } from './schema-cells';
import { encodeRows } from './schema-encoding';

/** One prediction input of a schema federation: raw values by column name (absent or null means missing). */
export type RawRecord = Record<string, string | number | null>;

/**
 * Raw records (e.g. patients to score) as model inputs, read, encoded, imputed and scaled exactly as
 * every org's training rows: what the federation trained on is what it predicts on. INVALID_ARGUMENT
 * listing every problem (record numbers stand in for line numbers, from 1).
 */
export function recordsToModelInputs(records: readonly RawRecord[], schema: DataSchema, imputation: Imputation, featureScaling: FeatureScaling): number[][] {
  const problems = new ProblemCollector();
  const missing = new Set(schema.missingTokens);
  const inputs = inputColumns(schema);
  const cells: Cell[][] = inputs.map((column) =>
    records.map((record, r) => {
      const value = Object.prototype.hasOwnProperty.call(record, column.name) ? record[column.name] : null;
      if (value === null || value === undefined) return { kind: 'missing' };
      const cell = readCell(String(value), column, missing);
      if (cell.kind === 'invalid') problems.add(column.name, cell.problem, r + 1, String(value));
      return cell;
    }),
  );
  problems.throwIfAny('records');
  const encoded = encodeRows({ cells, labels: new Uint8Array(records.length) }, schema, imputation);
  const scaled = applyStandardizer(encoded.features, standardizerFromScaling(featureScaling));
  return records.map((_, r) => Array.from(scaled.subarray(r * encoded.numFeatures, (r + 1) * encoded.numFeatures)));
}
