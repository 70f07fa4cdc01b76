import type { ValidationError } from 'class-validator';
import { FedLedgerError } from '@fedledger/core';

/** One failed constraint of a request field, e.g. `{ field: 'rounds', problem: 'rounds must not be less than 1' }`. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/** Raised by the global ValidationPipe; the filter answers it with 400 INVALID_ARGUMENT. */
export class RequestValidationError extends FedLedgerError {
  readonly fields: FieldProblem[];

  constructor(fields: FieldProblem[]) {
    super(
      'INVALID_ARGUMENT',
      `request validation failed: ${fields.map((f) => f.field).join(', ')}`,
      { fields },
    );
    this.fields = fields;
  }
}

/** Flattens nested class-validator errors into dotted field paths. */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  prefix = '',
): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      out.push({ field, problems: Object.values(error.constraints) });
    }
    if (error.children && error.children.length > 0) {
      out.push(...flattenValidationErrors(error.children, field));
    }
  }
  return out;
}
