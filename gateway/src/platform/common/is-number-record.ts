import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Validates a plain object whose values are all finite numbers (metrics, strategy parameters). */
export function IsNumberRecord(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumberRecord',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v)),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an object whose values are finite numbers`,
      },
    },
    options,
  );
}

/** Validates an array of arrays of finite numbers (rows of model inputs). */
export function IsNumberMatrix(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumberMatrix',
      validator: {
        validate: (value: unknown): boolean =>
          Array.isArray(value) &&
          value.every(
            (row) =>
              Array.isArray(row) && row.every((v) => typeof v === 'number' && Number.isFinite(v)),
          ),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an array of arrays of finite numbers`,
      },
    },
    options,
  );
}
