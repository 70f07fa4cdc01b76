import type { DataSchema } from '@fedledger/core';
import { RequestValidationError } from '../../platform/errors/request-validation.error';

/**
 * The schema rules the gateway needs before it can read a dataset under the schema (the chaincode
 * checks them all again, and more, at CreateFederation): unique column names, levels on categorical
 * columns only, a label that is a column, positive values the label can hold. 400 naming each field.
 */
export function checkSchemaRules(schema: DataSchema): void {
  const fields: { field: string; problems: string[] }[] = [];
  const fail = (field: string, problem: string): void => {
    fields.push({ field: `dataSchema.${field}`, problems: [problem] });
  };
  const seen = new Map<string, number>();
  schema.columns.forEach((column, i) => {
    const first = seen.get(column.name);
    if (first !== undefined)
      fail(
        `columns[${i}].name`,
        `repeats column ${JSON.stringify(column.name)} (also columns[${first}])`,
      );
    seen.set(column.name, i);
    if (column.type === 'categorical' && column.levels.length === 0)
      fail(
        `columns[${i}].levels`,
        `categorical column ${JSON.stringify(column.name)} needs at least one level`,
      );
    if (column.type === 'categorical' && new Set(column.levels).size !== column.levels.length)
      fail(
        `columns[${i}].levels`,
        `categorical column ${JSON.stringify(column.name)} repeats a level`,
      );
  });
  const label = schema.columns.find((column) => column.name === schema.label.column);
  if (label === undefined) {
    fail(
      'label.column',
      `${JSON.stringify(schema.label.column)} is not a column of the schema (columns: ${schema.columns.map((c) => c.name).join(', ')})`,
    );
  } else {
    schema.label.positiveValues.forEach((value, i) => {
      if (label.type === 'categorical' && !label.levels.includes(value))
        fail(
          `label.positiveValues[${i}]`,
          `${JSON.stringify(value)} is not a level of the label column ${JSON.stringify(label.name)}`,
        );
      if (label.type === 'numeric' && !Number.isFinite(Number(value.trim())))
        fail(
          `label.positiveValues[${i}]`,
          `${JSON.stringify(value)} must be a number: the label column is numeric`,
        );
    });
  }
  if (fields.length > 0) throw new RequestValidationError(fields);
}
