import type { ColumnSchema, DataSchema } from '@fedledger/core';
import type { ProblemCollector } from '../datasets/column-problems';
import type { RawTable } from '../datasets/csv-dataset';
import { readCell, readLabel, type Cell } from './schema-cells';

/** A raw table read under a schema: each input column's cells and each row's label, found by column name. */
export interface SchemaRows {
  /** Per input column (schema order), the cell of each row. */
  cells: Cell[][];
  labels: Uint8Array;
}

/**
 * Checks a raw table against a federation's schema and reads it: every problem is collected (a
 * schema column the file lacks, values that are not declared levels, out of range or not numbers,
 * missing or invalid labels, each with its count, first lines and examples) into `problems`, and
 * the rows are undefined when a column is missing. Column order in the file does not matter;
 * columns the schema does not name are ignored.
 */
export function readSchemaRows(
  table: RawTable,
  schema: DataSchema,
  problems: ProblemCollector,
): SchemaRows | undefined {
  const positions = new Map(table.columns.map((name, index) => [name, index]));
  for (const column of schema.columns) {
    if (!positions.has(column.name)) problems.add(column.name, 'the dataset has no such column', 1);
  }
  if (problems.size > 0) return undefined;
  const missing = new Set(schema.missingTokens);
  const labelColumn = schema.columns.find(
    (column) => column.name === schema.label.column,
  ) as ColumnSchema;
  const labelIndex = positions.get(labelColumn.name) as number;
  const inputs = schema.columns.filter((column) => column !== labelColumn);
  const cells: Cell[][] = inputs.map(() => new Array<Cell>(table.records.length));
  const labels = new Uint8Array(table.records.length);
  table.records.forEach((record, r) => {
    inputs.forEach((column, c) => {
      const raw = record.fields[positions.get(column.name) as number];
      const cell = readCell(raw, column, missing);
      if (cell.kind === 'invalid') problems.add(column.name, cell.problem, record.line, raw.trim());
      cells[c][r] = cell;
    });
    const raw = record.fields[labelIndex];
    const label = readLabel(raw, schema, labelColumn, missing);
    if ('problem' in label) problems.add(labelColumn.name, label.problem, record.line, raw.trim());
    else labels[r] = label.label;
  });
  return { cells, labels };
}
