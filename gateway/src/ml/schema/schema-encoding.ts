import {
  MEDIAN_HISTOGRAM_BINS,
  histogramBin,
  inputColumns,
  type ColumnProfile,
  type DataProfileInput,
  type DataSchema,
  type Imputation,
} from '@fedledger/core';
import type { SchemaRows } from './schema-table';

/**
 * This org's data profile (see `DataProfile` in core) of the rows it trains on: per input column the
 * missing count, the sum and sum of squares of observed numbers (and their histogram for median
 * imputation), or the count of each level. Nothing per row leaves the gateway.
 */
export function profileRows(rows: SchemaRows, schema: DataSchema): DataProfileInput {
  const n = rows.labels.length;
  const columns: ColumnProfile[] = inputColumns(schema).map((column, c) => {
    const cells = rows.cells[c] ?? [];
    let missing = 0;
    if (column.type === 'categorical') {
      const levelCounts = new Array<number>(column.levels.length).fill(0);
      for (const cell of cells) {
        if (cell.kind === 'level') levelCounts[cell.index] = levelCounts[cell.index] + 1;
        else missing += 1;
      }
      return { name: column.name, type: 'categorical', missing, levelCounts };
    }
    let sum = 0;
    let sumSquares = 0;
    const histogram =
      schema.imputation.method === 'median'
        ? new Array<number>(MEDIAN_HISTOGRAM_BINS).fill(0)
        : undefined;
    for (const cell of cells) {
      if (cell.kind !== 'number') {
        missing += 1;
        continue;
      }
      sum += cell.value;
      sumSquares += cell.value * cell.value;
      if (histogram !== undefined) {
        const bin = histogramBin(cell.value, column.min as number, column.max as number);
        histogram[bin] = histogram[bin] + 1;
      }
    }
    return histogram === undefined
      ? { name: column.name, type: 'numeric', missing, sum, sumSquares }
      : { name: column.name, type: 'numeric', missing, sum, sumSquares, histogram };
  });
  let positives = 0;
  for (const label of rows.labels) positives += label;
  return { rows: n, positives, columns };
}

/**
 * The model inputs of the rows before scaling, in the schema's encoded order (`encodedColumns`):
 * numbers with missing ones filled with the consortium's value, one-hot levels (all zeros when
 * missing), and 0/1 missing indicators when the schema asks for them. Identical at every org.
 */
export function encodeRows(
  rows: SchemaRows,
  schema: DataSchema,
  imputation: Pick<Imputation, 'values'>,
): { features: Float32Array; labels: Float32Array; numFeatures: number } {
  const inputs = inputColumns(schema);
  const indicators = schema.imputation.indicators;
  const widths = inputs.map(
    (column) => (column.type === 'numeric' ? 1 : column.levels.length) + (indicators ? 1 : 0),
  );
  const numFeatures = widths.reduce((a, b) => a + b, 0);
  const n = rows.labels.length;
  const features = new Float32Array(n * numFeatures);
  let offset = 0;
  inputs.forEach((column, c) => {
    const cells = rows.cells[c] ?? [];
    const fill = imputation.values[column.name] ?? 0;
    for (let r = 0; r < n; r++) {
      const cell = cells.at(r);
      const base = r * numFeatures + offset;
      const isMissing = cell === undefined || cell.kind === 'missing';
      if (column.type === 'numeric') features[base] = cell?.kind === 'number' ? cell.value : fill;
      else if (cell?.kind === 'level') features[base + cell.index] = 1;
      if (indicators && isMissing) features[base + widths[c] - 1] = 1;
    }
    offset += widths[c];
  });
  return { features, labels: Float32Array.from(rows.labels), numFeatures };
}
