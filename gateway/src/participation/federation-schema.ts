import type { DataSchema, Federation, Imputation } from '@fedledger/core';

/** Schema federations' schema and imputation, for training and evaluation jobs. */
export function schemaOf(federation: Federation): {
  dataSchema?: DataSchema;
  imputation?: Imputation;
} {
  return {
    ...(federation.dataSchema !== undefined ? { dataSchema: federation.dataSchema } : {}),
    ...(federation.imputation !== undefined ? { imputation: federation.imputation } : {}),
  };
}
