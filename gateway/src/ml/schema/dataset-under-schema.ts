import { FedLedgerError, type DataSchema, type FederationSpec } from '@fedledger/core';
import { ProblemCollector, throwIfAnyProblem } from '../datasets/column-problems';
import type { DatasetsService } from '../datasets/datasets.service';
import { readSchemaRows, type SchemaRows } from './schema-table';

/**
 * A registered dataset read under a federation's schema: its training and validation (test) rows.
 * INVALID_ARGUMENT (HTTP 422) listing every problem of every file at once when the dataset does not
 * satisfy the schema; FAILED_PRECONDITION when a file changed since registration.
 */
export async function readDatasetUnderSchema(
  datasets: DatasetsService,
  datasetId: string,
  schema: DataSchema,
): Promise<{ train: SchemaRows; validation: SchemaRows }> {
  const record = datasets.get(datasetId);
  const raw = await datasets.loadRaw(datasetId);
  const main = new ProblemCollector(record.testPath === undefined ? undefined : record.path);
  const test = record.testPath === undefined ? main : new ProblemCollector(record.testPath);
  const train = readSchemaRows(raw.train, schema, main);
  const validation = readSchemaRows(raw.validation, schema, test);
  const subject = `dataset "${datasetId}" (${record.path}) does not satisfy the federation's data schema`;
  if (record.testPath === undefined && main.size > 0) {
    // The splits are shuffled; report in file order (first lines ascending) from the whole file.
    const inFileOrder = new ProblemCollector();
    const records = [...raw.train.records, ...raw.validation.records].sort(
      (a, b) => a.line - b.line,
    );
    readSchemaRows({ columns: raw.train.columns, records }, schema, inFileOrder);
    throwIfAnyProblem(subject, [inFileOrder], { datasetId });
  }
  throwIfAnyProblem(subject, record.testPath === undefined ? [main] : [main, test], { datasetId });
  return { train: train as SchemaRows, validation: validation as SchemaRows };
}

/**
 * Whether a dataset can serve a federation: under its schema (every problem listed), or for a
 * federation of numeric columns, a numeric dataset with every feature column and the label.
 */
export async function checkDatasetCompatibility(
  datasets: DatasetsService,
  datasetId: string,
  federation: Pick<FederationSpec, 'featureColumns' | 'labelColumn' | 'dataSchema'>,
): Promise<{ train: SchemaRows; validation: SchemaRows } | undefined> {
  if (federation.dataSchema !== undefined)
    return readDatasetUnderSchema(datasets, datasetId, federation.dataSchema);
  const record = datasets.get(datasetId);
  const problems = new ProblemCollector();
  if (record.format === 'raw') {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `dataset "${datasetId}" is a raw dataset; this federation has no data schema and needs a numeric dataset with columns ${federation.featureColumns.join(', ')}`,
      { datasetId },
    );
  }
  for (const column of federation.featureColumns) {
    if (!record.featureColumns.includes(column))
      problems.add(column, 'the dataset has no such feature column', 1);
  }
  if (record.labelColumn !== federation.labelColumn)
    problems.add(
      federation.labelColumn,
      `the dataset's label column is "${record.labelColumn}"`,
      1,
    );
  problems.throwIfAny(`dataset "${datasetId}" (${record.path}) does not fit the federation`, {
    datasetId,
  });
  return undefined;
}
