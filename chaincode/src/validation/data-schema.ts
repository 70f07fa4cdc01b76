import {
  IMPUTATION_METHODS,
  encodedColumns,
  inputColumns,
  type ColumnSchema,
  type DataSchema,
  type FederationSpec,
} from '@fedledger/core';
import { describe, type FieldReader } from './field-reader';

/** Bounds that keep a schema (stored in the federation record) small. */
export const SCHEMA_LIMITS = {
  columns: 1024,
  levels: 256,
  missingTokens: 32,
  missingValues: 16,
  nameChars: 256,
  tokenChars: 64,
} as const;

/**
 * Reads the optional `dataSchema` of a federation spec and checks it against the spec: unique column
 * names, numeric ranges with min ≤ max, categorical columns with at least one distinct level, a label
 * that is one of the columns with positive values it can hold, and at least one input. `featureColumns`
 * must be the schema's encoded inputs and `labelColumn` its label, so every org builds the same model
 * input. Every failure names the field (INVALID_ARGUMENT for arguments).
 */
export function readDataSchema(
  r: FieldReader,
  spec: Pick<FederationSpec, 'featureColumns' | 'labelColumn'>,
): DataSchema | undefined {
  if (!r.has('dataSchema')) return undefined;
  const s = r.object('dataSchema');
  const columns = s.objectArray('columns', readColumn, { min: 2, max: SCHEMA_LIMITS.columns });
  const seen = new Map<string, number>();
  columns.forEach((column, i) => {
    const first = seen.get(column.name);
    if (first !== undefined)
      s.fail(
        `columns[${i}].name`,
        `repeats column ${JSON.stringify(column.name)} (also columns[${first}])`,
      );
    seen.set(column.name, i);
  });
  const labelReader = s.object('label');
  const label = {
    column: labelReader.string('column', { min: 1, max: SCHEMA_LIMITS.nameChars }),
    positiveValues: labelReader.stringArray('positiveValues', {
      min: 1,
      max: 16,
      unique: true,
      itemMax: SCHEMA_LIMITS.tokenChars,
    }),
  };
  const labelColumn = columns.find((column) => column.name === label.column);
  if (labelColumn === undefined) {
    return labelReader.fail(
      `column`,
      `${JSON.stringify(label.column)} is not a column of the schema (columns: ${columns.map((c) => c.name).join(', ')})`,
    );
  }
  label.positiveValues.forEach((value, i) => {
    if (labelColumn.type === 'categorical' && !labelColumn.levels.includes(value)) {
      labelReader.fail(
        `positiveValues[${i}]`,
        `${JSON.stringify(value)} is not a level of the label column ${JSON.stringify(label.column)} (levels: ${labelColumn.levels.join(', ')})`,
      );
    }
    if (labelColumn.type === 'numeric' && !Number.isFinite(Number(value.trim()))) {
      labelReader.fail(
        `positiveValues[${i}]`,
        `${JSON.stringify(value)} must be a number: the label column ${JSON.stringify(label.column)} is numeric`,
      );
    }
  });
  labelReader.done();
  const missingTokens = readTokens(s);
  const imputationReader = s.object('imputation');
  const imputation = {
    method: imputationReader.literal('method', IMPUTATION_METHODS),
    indicators: imputationReader.boolean('indicators'),
  };
  imputationReader.done();
  s.done();
  const schema: DataSchema = { columns, label, missingTokens, imputation };
  if (imputation.method === 'median') {
    columns.forEach((column, i) => {
      if (
        column.type === 'numeric' &&
        column.name !== label.column &&
        (column.min === undefined || column.max === undefined)
      ) {
        r.fail(
          `dataSchema.columns[${i}]`,
          `(${JSON.stringify(column.name)}) needs min and max for median imputation (the median is read from histograms over that range)`,
        );
      }
    });
  }
  if (inputColumns(schema).length === 0)
    r.fail('dataSchema.columns', 'must hold at least one input column besides the label');
  const expected = encodedColumns(schema);
  if (
    expected.length !== spec.featureColumns.length ||
    expected.some((name, i) => name !== spec.featureColumns[i])
  ) {
    r.fail(
      'featureColumns',
      `must be the data schema's encoded inputs in order (${expected.join(', ')})`,
    );
  }
  if (spec.labelColumn !== label.column)
    r.fail('labelColumn', `must be the data schema's label column ${JSON.stringify(label.column)}`);
  return schema;
}

function readColumn(c: FieldReader): ColumnSchema {
  const name = c.string('name', { min: 1, max: SCHEMA_LIMITS.nameChars });
  const type = c.literal('type', ['numeric', 'categorical'] as const);
  if (type === 'categorical') {
    if (
      !c.has('levels') ||
      (Array.isArray(c.raw('levels')) && (c.raw('levels') as unknown[]).length === 0)
    ) {
      c.fail(
        'levels',
        `is required: categorical column ${JSON.stringify(name)} needs at least one level`,
      );
    }
    return {
      name,
      type,
      levels: c.stringArray('levels', {
        min: 1,
        max: SCHEMA_LIMITS.levels,
        unique: true,
        itemMax: SCHEMA_LIMITS.tokenChars,
      }),
    };
  }
  const column: ColumnSchema = { name, type };
  const min = c.optionalNumber('min');
  const max = c.optionalNumber('max');
  if (min !== undefined) column.min = min;
  if (max !== undefined) column.max = max;
  if (min !== undefined && max !== undefined && !(min < max))
    c.fail(
      'max',
      `must be greater than min (${min}) for column ${JSON.stringify(name)}, got ${max}`,
    );
  if (c.has('missingValues')) {
    const values = c.array('missingValues', { min: 1, max: SCHEMA_LIMITS.missingValues });
    values.forEach((value, i) => {
      if (typeof value !== 'number' || !Number.isFinite(value))
        c.fail(`missingValues[${i}]`, `must be a finite number, got ${describe(value)}`);
    });
    column.missingValues = values as number[];
  }
  return column;
}

/** Missing tokens may be the empty string (an empty cell), unlike other string lists. */
function readTokens(s: FieldReader): string[] {
  const tokens = s.array('missingTokens', { max: SCHEMA_LIMITS.missingTokens });
  tokens.forEach((token, i) => {
    if (typeof token !== 'string')
      s.fail(`missingTokens[${i}]`, `must be a string, got ${describe(token)}`);
    if (token.length > SCHEMA_LIMITS.tokenChars)
      s.fail(`missingTokens[${i}]`, `must have at most ${SCHEMA_LIMITS.tokenChars} characters`);
    if (token !== token.trim())
      s.fail(
        `missingTokens[${i}]`,
        'must not start or end with spaces (cells are trimmed before they are compared)',
      );
    if (tokens.indexOf(token) !== i)
      s.fail(`missingTokens[${i}]`, `repeats ${JSON.stringify(token)}`);
  });
  return tokens as string[];
}
