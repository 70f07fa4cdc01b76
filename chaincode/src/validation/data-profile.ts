import {
  MEDIAN_HISTOGRAM_BINS,
  inputColumns,
  type ColumnProfile,
  type DataProfileInput,
  type DataSchema,
} from '@fedledger/core';
import { describe, type FieldReader } from './field-reader';

/** At most this many training rows per org: far beyond any site, small enough for exact sums. */
const MAX_ROWS = 1e12;

/**
 * Reads an org's data profile against the federation's schema: one entry per input column in schema
 * order with the column's name and type, counts that add up to `rows`, finite sums, and a histogram
 * of {@link MEDIAN_HISTOGRAM_BINS} bins for numeric columns exactly when the imputation is `median`.
 */
export function readDataProfile(r: FieldReader, schema: DataSchema): DataProfileInput {
  const rows = r.integer('rows', { min: 1, max: MAX_ROWS });
  const positives = r.integer('positives', { min: 0, max: rows });
  const inputs = inputColumns(schema);
  const median = schema.imputation.method === 'median';
  const columns = r.objectArray<ColumnProfile>(
    'columns',
    (c) => {
      const name = c.string('name', { min: 1 });
      const column = inputs.find((candidate) => candidate.name === name);
      if (column === undefined)
        return c.fail(
          'name',
          `${JSON.stringify(name)} is not an input column of the federation's schema`,
        );
      const type = c.literal('type', [column.type]);
      const missing = c.integer('missing', { min: 0, max: rows });
      if (type === 'numeric') {
        const profile: ColumnProfile = {
          name,
          type,
          missing,
          sum: c.number('sum'),
          sumSquares: c.number('sumSquares', { min: 0 }),
        };
        if (median)
          profile.histogram = counts(c, 'histogram', MEDIAN_HISTOGRAM_BINS, rows - missing, name);
        return profile;
      }
      const levels = column.type === 'categorical' ? column.levels.length : 0;
      return {
        name,
        type,
        missing,
        levelCounts: counts(c, 'levelCounts', levels, rows - missing, name),
      };
    },
    { min: inputs.length, max: inputs.length },
  );
  columns.forEach((column, i) => {
    if (column.name !== inputs[i]?.name)
      r.fail(
        `columns[${i}].name`,
        `must be ${JSON.stringify(inputs[i]?.name)}: profiles list the schema's input columns in schema order`,
      );
  });
  return { rows, positives, columns };
}

function counts(
  c: FieldReader,
  field: string,
  length: number,
  total: number,
  column: string,
): number[] {
  const values = c.array(field, { min: length, max: length });
  values.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      c.fail(`${field}[${i}]`, `must be a non-negative integer, got ${describe(value)}`);
  });
  const sum = (values as number[]).reduce((a, b) => a + b, 0);
  if (sum !== total)
    c.fail(
      field,
      `must add up to the ${total} rows where ${JSON.stringify(column)} is not missing, got ${sum}`,
    );
  return values as number[];
}
