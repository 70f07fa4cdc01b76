/**
 * A federation's data schema: what each org's raw CSV must contain and how every org turns it into
 * the same model inputs. Recorded on the ledger with the federation, so the encoding is agreed once
 * and auditable. Column order in a file never matters: columns are found by name.
 */

/** A number; `min`/`max` bound valid values, `missingValues` are numbers that mean "not measured". */
export interface NumericColumnSchema {
  name: string;
  type: 'numeric';
  min?: number;
  max?: number;
  /** e.g. `[0]` for a lab value a site records as 0 when it did not measure it. */
  missingValues?: number[];
}

/** A category from a closed list; one-hot encoded in `levels` order at every org. */
export interface CategoricalColumnSchema {
  name: string;
  type: 'categorical';
  levels: string[];
}

export type ColumnSchema = NumericColumnSchema | CategoricalColumnSchema;

/** The label column (one of the schema's columns) and the cell values that mean "positive" (1). */
export interface LabelSchema {
  column: string;
  /** Compared as text for categorical labels and as numbers for numeric ones. */
  positiveValues: string[];
}

export const IMPUTATION_METHODS = ['mean', 'median'] as const;
export type ImputationMethod = (typeof IMPUTATION_METHODS)[number];

/**
 * How missing numeric values are filled: with the consortium's mean or median, computed at start
 * from every participant's recorded summary statistics. Missing categorical values encode as all
 * zeros. `indicators` adds one 0/1 "was missing" input per column.
 */
export interface ImputationPolicy {
  method: ImputationMethod;
  indicators: boolean;
}

export interface DataSchema {
  /** Every column the federation reads, the label column included. */
  columns: ColumnSchema[];
  label: LabelSchema;
  /** Cell texts (after trimming) that mean "missing", e.g. `""`, `"?"`, `"NA"`. */
  missingTokens: string[];
  imputation: ImputationPolicy;
}

/** Bins of the per-org histograms the consortium median is read from (numeric columns need min and max). */
export const MEDIAN_HISTOGRAM_BINS = 64;

/** Suffix of a missing-indicator input's name. */
export const MISSING_INDICATOR_SUFFIX = ':missing';

/** The schema's columns that are model inputs (all but the label), in schema order. */
export function inputColumns(schema: DataSchema): ColumnSchema[] {
  return schema.columns.filter((column) => column.name !== schema.label.column);
}

/**
 * Names of the model's inputs in order: a numeric column is one input, a categorical column one
 * input per level (`name=level`), and with indicators each column adds `name:missing`. A schema
 * federation's `featureColumns` are exactly these.
 */
export function encodedColumns(schema: DataSchema): string[] {
  const names: string[] = [];
  for (const column of inputColumns(schema)) {
    if (column.type === 'numeric') names.push(column.name);
    else names.push(...column.levels.map((level) => `${column.name}=${level}`));
    if (schema.imputation.indicators) names.push(`${column.name}${MISSING_INDICATOR_SUFFIX}`);
  }
  return names;
}
