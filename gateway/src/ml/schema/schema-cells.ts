import type { ColumnSchema, DataSchema } from '@fedledger/core';
import { parseDecimal } from '../datasets/csv-dataset';

/** What one raw cell means under a column's schema. */
export type Cell =
  | { kind: 'missing' }
  | { kind: 'number'; value: number }
  | { kind: 'level'; index: number }
  | { kind: 'invalid'; problem: string };

const MISSING: Cell = { kind: 'missing' };

/**
 * Interprets a cell: a missing token (after trimming) or one of a numeric column's `missingValues`
 * is missing; a categorical cell must be a declared level (exact text); a numeric cell a decimal in
 * the column's range. The `problem` of an invalid cell is the same text for every such cell of a
 * column, so problems group with counts.
 */
export function readCell(
  raw: string,
  column: ColumnSchema,
  missingTokens: ReadonlySet<string>,
): Cell {
  const text = raw.trim();
  if (missingTokens.has(text)) return MISSING;
  if (column.type === 'categorical') {
    const index = column.levels.indexOf(text);
    return index >= 0
      ? { kind: 'level', index }
      : {
          kind: 'invalid',
          problem: `values that are not a declared level (${column.levels.join(', ')}) or a missing token`,
        };
  }
  const value = parseDecimal(text);
  if (value === undefined)
    return { kind: 'invalid', problem: 'cells that are neither numbers nor missing tokens' };
  if (column.missingValues?.includes(value)) return MISSING;
  if (
    (column.min !== undefined && value < column.min) ||
    (column.max !== undefined && value > column.max)
  ) {
    return {
      kind: 'invalid',
      problem: `values outside the valid range [${column.min ?? '-∞'}, ${column.max ?? '∞'}]`,
    };
  }
  return { kind: 'number', value };
}

/** The label of a row: 1 for a positive value, 0 for any other valid value; invalid when missing or not valid. */
export function readLabel(
  raw: string,
  schema: DataSchema,
  column: ColumnSchema,
  missingTokens: ReadonlySet<string>,
): { label: 0 | 1 } | { problem: string } {
  const cell = readCell(raw, column, missingTokens);
  if (cell.kind === 'missing')
    return { problem: 'missing labels (rows without a label cannot be used)' };
  if (cell.kind === 'invalid') return { problem: `labels: ${cell.problem}` };
  if (cell.kind === 'level') {
    const text = (column as { levels: string[] }).levels[cell.index];
    return { label: schema.label.positiveValues.includes(text) ? 1 : 0 };
  }
  return {
    label: schema.label.positiveValues.some((positive) => Number(positive) === cell.value) ? 1 : 0,
  };
}
