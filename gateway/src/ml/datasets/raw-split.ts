import { FedLedgerError } from '@fedledger/core';
import type { RawTable } from './csv-dataset';
import { createSeededRandom, seededPermutation } from './seeded-random';

/** A raw dataset's training and validation (or test) rows, each a table with its own header. */
export interface RawDataset {
  train: RawTable;
  validation: RawTable;
}

/** Split-column values that put a row into the validation/test split (compared trimmed, case-insensitive). */
export const TEST_SPLIT_VALUES: readonly string[] = ['test', 'validation', 'valid', '1', 'true'];

/**
 * Splits a raw table: by the data steward's own split column when given (the column is dropped), else
 * with the same seeded shuffle as numeric datasets (the first `round(n × fraction)` shuffled rows are
 * validation). INVALID_ARGUMENT when a split leaves no training row.
 */
export function splitRawTable(
  table: RawTable,
  options: { validationFraction: number; seed: number; splitColumn?: string | undefined },
  fileName: string,
): RawDataset {
  if (options.splitColumn !== undefined) {
    const index = table.columns.indexOf(options.splitColumn);
    if (index < 0)
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${fileName} has no split column "${options.splitColumn}" (columns: ${table.columns.join(', ')})`,
      );
    const columns = table.columns.filter((_, i) => i !== index);
    const drop = (fields: string[]): string[] => fields.filter((_, i) => i !== index);
    const train: RawTable = { columns, records: [] };
    const validation: RawTable = { columns, records: [] };
    for (const record of table.records) {
      const isTest = TEST_SPLIT_VALUES.includes(record.fields[index].trim().toLowerCase());
      (isTest ? validation : train).records.push({
        line: record.line,
        fields: drop(record.fields),
      });
    }
    if (train.records.length === 0)
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${fileName}: split column "${options.splitColumn}" marks every row as test; at least one training row is needed`,
      );
    return { train, validation };
  }
  const n = table.records.length;
  const order = seededPermutation(n, createSeededRandom(options.seed));
  const validationCount = Math.min(n - 1, Math.round(n * options.validationFraction));
  const pick = (from: number, to: number): RawTable => ({
    columns: table.columns,
    records: Array.from(order.subarray(from, to), (i) => table.records[i]),
  });
  return { train: pick(validationCount, n), validation: pick(0, validationCount) };
}
