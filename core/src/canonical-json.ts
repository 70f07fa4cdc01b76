import { FedLedgerError } from './errors';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order, no whitespace, `undefined` members
 * dropped. Every ledger write goes through this so that all endorsing peers produce identical bytes.
 * Non-finite numbers are rejected rather than silently turned into `null`.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$', new Set());
}

/**
 * Built-in objects whose own enumerable keys are not their value: serialized as plain objects they
 * would become `{}` (Date, Map, Set, RegExp) or `{"0":…}` (typed arrays), so the same logical value
 * could be written as different bytes. They must be converted to plain JSON values first.
 */
function nonJsonObjectKind(value: object): string | undefined {
  if (ArrayBuffer.isView(value)) return 'a typed array or DataView';
  if (value instanceof ArrayBuffer) return 'an ArrayBuffer';
  if (value instanceof Date) return 'a Date';
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (value instanceof RegExp) return 'a RegExp';
  return undefined;
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) {
    return 'null';
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new FedLedgerError(
          'NON_FINITE_VALUE',
          `${path} is ${String(value)}; only finite numbers can be stored`,
        );
      }
      return JSON.stringify(value);
    case 'object': {
      const kind = nonJsonObjectKind(value);
      if (kind !== undefined) {
        throw new FedLedgerError(
          'INVALID_ARGUMENT',
          `${path} is ${kind}; convert it to a plain JSON value first`,
        );
      }
      if (ancestors.has(value)) {
        throw new FedLedgerError(
          'INVALID_ARGUMENT',
          `${path} refers back to an enclosing value; JSON cannot represent cycles`,
        );
      }
      ancestors.add(value);
      let text: string;
      if (Array.isArray(value)) {
        text = `[${value.map((item, i) => (item === undefined ? 'null' : serialize(item, `${path}[${i}]`, ancestors))).join(',')}]`;
      } else {
        const record = value as Record<string, unknown>;
        const members = Object.keys(record)
          .filter((key) => record[key] !== undefined)
          .sort()
          .map(
            (key) =>
              `${JSON.stringify(key)}:${serialize(record[key], `${path}.${key}`, ancestors)}`,
          );
        text = `{${members.join(',')}}`;
      }
      ancestors.delete(value);
      return text;
    }
    default:
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${path} has type ${typeof value}, which JSON cannot represent`,
      );
  }
}

/** Canonical JSON as UTF-8 bytes, ready for `putState`. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/** Parses JSON text, turning a syntax error into INVALID_ARGUMENT that names the argument. */
export function parseJsonArgument(text: string, argumentName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new FedLedgerError('INVALID_ARGUMENT', `${argumentName} is not valid JSON (${why})`);
  }
}
