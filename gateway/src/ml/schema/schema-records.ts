import {
  inputColumns,
  type DataSchema,
  type FeatureScaling,
  type Imputation,
} from '@fedledger/core';
import { ProblemCollector } from '../datasets/column-problems';
import { standardizerFromScaling } from '../datasets/feature-scaling';
import { applyStandardizer } from '../datasets/standardizer';
import { readCell, type Cell } from './schema-cells';
import { encodeRows } from './schema-encoding';

/**
 * One prediction input of a schema federation: raw values by column name (absent or null means
 * missing). Values are text or numbers by contract, but the request body's cells are not
 * type-checked one by one, so they are read as whatever JSON value arrived.
 */
export type RawRecord = Record<string, unknown>;

/**
 * Raw records (e.g. patients to score) as model inputs, read, encoded, imputed and scaled exactly as
 * every org's training rows: what the federation trained on is what it predicts on. INVALID_ARGUMENT
 * listing every problem (record numbers stand in for line numbers, from 1).
 */
export function recordsToModelInputs(
  records: readonly RawRecord[],
  schema: DataSchema,
  imputation: Imputation,
  featureScaling: FeatureScaling,
): number[][] {
  const problems = new ProblemCollector();
  const missing = new Set(schema.missingTokens);
  const inputs = inputColumns(schema);
  const cells: Cell[][] = inputs.map((column) =>
    records.map((record, r) => {
      const value = Object.prototype.hasOwnProperty.call(record, column.name)
        ? record[column.name]
        : null;
      if (value === null || value === undefined) return { kind: 'missing' };
      const text = cellText(value);
      const cell = readCell(text, column, missing);
      if (cell.kind === 'invalid') problems.add(column.name, cell.problem, r + 1, text);
      return cell;
    }),
  );
  problems.throwIfAny('records');
  const encoded = encodeRows({ cells, labels: new Uint8Array(records.length) }, schema, imputation);
  const scaled = applyStandardizer(encoded.features, standardizerFromScaling(featureScaling));
  return records.map((_, r) =>
    Array.from(scaled.subarray(r * encoded.numFeatures, (r + 1) * encoded.numFeatures)),
  );
}

/** A record value as cell text: text as given, numbers and booleans as written; objects and arrays as JSON, so they are never read as a number or level. */
function cellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
