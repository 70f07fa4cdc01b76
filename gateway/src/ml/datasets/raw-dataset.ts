import { createHash } from 'node:crypto';
import { FedLedgerError } from '@fedledger/core';
import { parseRawTable, type RawTable } from './csv-dataset';
import type { DatasetRecord } from './dataset-record';
import { splitRawTable, type RawDataset } from './raw-split';

/**
 * Raw datasets (`format: "raw"`): the file's structure is checked at registration (header, row
 * widths, label and split columns); cells stay text until a federation's schema reads them.
 */

/** A raw dataset's record: structure checked (header, widths, label and split columns present), cells left as text. */
export function describeRawDataset(
  id: string,
  relativePath: string,
  bytes: Buffer,
  test: { bytes: Buffer; relative: string } | undefined,
  settings: {
    labelColumn: string;
    featureColumns?: string[] | undefined;
    validationFraction: number;
    seed: number;
    splitColumn?: string | undefined;
  },
): { record: DatasetRecord; raw: RawDataset } {
  const table = parseRawTable(bytes.toString('utf8'), relativePath);
  const raw = splitRawFiles(table, relativePath, test, settings);
  const columns = table.columns;
  if (!raw.train.columns.includes(settings.labelColumn)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${relativePath} has no label column "${settings.labelColumn}" (columns: ${columns.join(', ')})`,
    );
  }
  const featureColumns =
    settings.featureColumns ?? raw.train.columns.filter((name) => name !== settings.labelColumn);
  const unknown = featureColumns.filter((name) => !raw.train.columns.includes(name));
  if (unknown.length > 0)
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${relativePath} has no column(s) ${unknown.map((n) => `"${n}"`).join(', ')} (columns: ${columns.join(', ')})`,
    );
  const record: DatasetRecord = {
    id,
    source: 'csv',
    format: 'raw',
    path: relativePath,
    columns,
    labelColumn: settings.labelColumn,
    featureColumns,
    validationFraction: settings.validationFraction,
    seed: settings.seed,
    numRows: raw.train.records.length + raw.validation.records.length,
    numTrain: raw.train.records.length,
    numValidation: raw.validation.records.length,
    fileSha256: sha256(bytes),
    registeredAt: new Date().toISOString(),
  };
  if (settings.splitColumn !== undefined) record.splitColumn = settings.splitColumn;
  if (test !== undefined) {
    record.testPath = test.relative;
    record.testSha256 = sha256(test.bytes);
  }
  return { record, raw };
}

/** A parsed raw file split into training and validation rows: by a separate test file, a split column, or the seeded shuffle. */
export function splitRawFiles(
  table: RawTable,
  relativePath: string,
  test: { bytes: Buffer; relative: string } | undefined,
  settings: { validationFraction: number; seed: number; splitColumn?: string | undefined },
): RawDataset {
  if (test === undefined) return splitRawTable(table, settings, relativePath);
  if (settings.splitColumn !== undefined)
    throw new FedLedgerError('INVALID_ARGUMENT', 'give either splitColumn or testPath, not both');
  return { train: table, validation: parseRawTable(test.bytes.toString('utf8'), test.relative) };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
