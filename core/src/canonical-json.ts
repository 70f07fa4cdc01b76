import { FedLedgerError } from './errors';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order, no whitespace, `undefined` members
 * dropped. Every ledger write goes through this so that all endorsing peers produce identical bytes.
 * Non-finite numbers are rejected rather than silently turned into `null`.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$');
}

function serialize(value: unknown, path: string): string {
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
        throw new FedLedgerError('NON_FINITE_VALUE', `${path} is ${String(value)}; only finite numbers can be stored`);
      }
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? 'null' : serialize(item, `${path}[${i}]`))).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${serialize(record[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new FedLedgerError('INVALID_ARGUMENT', `${path} has type ${typeof value}, which JSON cannot represent`);
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
